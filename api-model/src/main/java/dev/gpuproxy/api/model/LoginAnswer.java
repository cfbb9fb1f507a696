package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to {@code POST /auth/login}: the user and the tokens for the session. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginAnswer(
        @JsonProperty("user") User user,
        @JsonProperty("tokens") SessionTokens tokens) {
}
