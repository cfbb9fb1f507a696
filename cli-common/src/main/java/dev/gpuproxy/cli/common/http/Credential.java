package dev.gpuproxy.cli.common.http;

import dev.gpuproxy.cli.common.Secrets;

/**
 * How a request proves who sends it: an API key in {@code X-API-Key}, or a login's access token as
 * {@code Authorization: Bearer}. {@link #toString()} never shows the secret.
 */
public record Credential(String header, String scheme, String secret) {

    public static Credential apiKey(String key) {
        return new Credential("X-API-Key", "", key);
    }

    public static Credential bearer(String token) {
        return new Credential("Authorization", "Bearer ", token);
    }

    /** The header value to send. */
    public String headerValue() {
        return scheme + secret;
    }

    /** The header value as it may be printed. */
    public String maskedHeaderValue() {
        return scheme + Secrets.mask(secret);
    }

    @Override
    public String toString() {
        return header + ": " + maskedHeaderValue();
    }
}
