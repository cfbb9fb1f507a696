package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP server settings. SERVER_HOST and SERVER_PORT map by name; PORT, READ_TIMEOUT, WRITE_TIMEOUT, IDLE_TIMEOUT,
 * MAX_BODY_SIZE and CORS_ORIGINS are the seed product's unprefixed names, read through the defaults below.
 */
@ConfigMapping(prefix = "server")
public interface ServerConfig {

    /** SERVER_HOST: interface to listen on. */
    @WithDefault("0.0.0.0")
    String host();

    /** SERVER_PORT (or PORT): port to listen on. */
    @WithDefault("${PORT:8080}")
    @Min(0)
    @Max(65535)
    int port();

    /** READ_TIMEOUT: longest wait for a client to send its request. */
    @WithDefault("${READ_TIMEOUT:60s}")
    Duration readTimeout();

    /**
     * WRITE_TIMEOUT: longest a proxied response may stall while writing to a slow client before the gateway gives
     * up on it.
     */
    @WithDefault("${WRITE_TIMEOUT:60s}")
    Duration writeTimeout();

    /** IDLE_TIMEOUT: idle keep-alive connections are closed after this. */
    @WithDefault("${IDLE_TIMEOUT:120s}")
    Duration idleTimeout();

    /** MAX_BODY_SIZE: largest request body accepted (for example 10M); larger ones get 413. */
    @WithDefault("${MAX_BODY_SIZE:10M}")
    String maxBodySize();

    /**
     * AUDIO_MAX_UPLOAD: largest upload to /v1/audio/transcriptions (OpenAI's own limit is 25 MB); it is spooled to a
     * temporary file, never held in memory, so it may exceed MAX_BODY_SIZE. Larger ones get 413. An upload that
     * declares a Content-Length above MAX_BODY_SIZE is refused by the HTTP layer first (the SDKs stream without one).
     */
    @WithDefault("${AUDIO_MAX_UPLOAD:25M}")
    String audioMaxUpload();

    /** CORS_ORIGINS: comma-separated origins allowed to call the API from a browser; unset = same origin only. */
    @WithDefault("${CORS_ORIGINS:}")
    Optional<String> corsOrigins();

    /**
     * ALLOWED_HOSTS: comma-separated host names (no ports) this server is reached under, e.g.
     * {@code gpu.example.com,localhost}; requests to /mcp with any other Host get 403 (DNS rebinding). Unset = any
     * Host for clients that are not browsers; browsers only from CORS_ORIGINS or on an address or localhost.
     */
    @WithDefault("${ALLOWED_HOSTS:}")
    Optional<String> allowedHosts();
}
