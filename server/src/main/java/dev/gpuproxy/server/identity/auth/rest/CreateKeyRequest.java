package dev.gpuproxy.server.identity.auth.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** A new API key: its name and, optionally, when it expires. */
public record CreateKeyRequest(@NotBlank @Size(max = 200) String name,
                               @JsonProperty("expires_at") Instant expiresAt) {}
