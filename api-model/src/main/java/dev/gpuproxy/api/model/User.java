package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A user account as {@code /user/me} and the admin user endpoints show it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record User(
        @JsonProperty("id") String id,
        @JsonProperty("email") String email,
        @JsonProperty("name") String name,
        @JsonProperty("role") String role,
        @JsonProperty("active") Boolean active,
        @JsonProperty("rate_limit_per_minute") Long rateLimitPerMinute,
        @JsonProperty("created_at") String createdAt) {
}
