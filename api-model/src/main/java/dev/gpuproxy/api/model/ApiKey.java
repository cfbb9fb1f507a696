package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An API key; {@code api_key}, the secret, is present only in the answer that created it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKey(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("prefix") String prefix,
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("last_used_at") String lastUsedAt,
        @JsonProperty("revoked_at") String revokedAt) {
}
