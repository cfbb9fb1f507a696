package dev.gpuproxy.server.identity.auth.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.identity.auth.repository.ApiKeyEntity;
import java.time.Instant;

/** An API key as the API shows it; {@code api_key} (the full secret) is present only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
        long id,
        String name,
        String prefix,
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("revoked_at") Instant revokedAt) {

    public static ApiKeyView of(ApiKeyEntity key) {
        return new ApiKeyView(key.id, key.name, key.prefix, null, key.createdAt, key.lastUsedAt, key.expiresAt,
                key.revokedAt);
    }

    ApiKeyView withSecret(String fullKey) {
        return new ApiKeyView(id, name, prefix, fullKey, createdAt, lastUsedAt, expiresAt, revokedAt);
    }
}
