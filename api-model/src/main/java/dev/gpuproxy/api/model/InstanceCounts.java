package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** GPU instances running, in all and per provider. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceCounts(
        @JsonProperty("running") Long running,
        @JsonProperty("running_by_provider") Map<String, Object> runningByProvider) {
}
