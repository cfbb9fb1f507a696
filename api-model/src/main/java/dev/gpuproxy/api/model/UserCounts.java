package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How many users there are. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserCounts(
        @JsonProperty("total") Long total,
        @JsonProperty("admins") Long admins,
        @JsonProperty("active") Long active) {
}
