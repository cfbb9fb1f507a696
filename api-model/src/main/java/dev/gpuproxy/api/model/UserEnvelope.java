package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Answers that wrap the user as {@code {"user":{...}}} (admin create, make-admin); the bare user otherwise. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserEnvelope(
        @JsonProperty("user") User user) {
}
