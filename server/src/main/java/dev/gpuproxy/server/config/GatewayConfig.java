package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.time.Duration;

/** The inference gateway: timeouts, failover and the price of tokens (environment variables GATEWAY_*). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** GATEWAY_CONNECT_TIMEOUT: longest wait to connect to a backend. */
    @WithDefault("${GATEWAY_CONNECT_TIMEOUT:5s}")
    Duration connectTimeout();

    /** GATEWAY_FIRST_BYTE_TIMEOUT: longest wait for a backend's response headers once connected (then 504). */
    @WithDefault("${GATEWAY_FIRST_BYTE_TIMEOUT:60s}")
    Duration firstByteTimeout();

    /** GATEWAY_IDLE_TIMEOUT: longest silence inside a streamed answer (streams have no total limit otherwise). */
    @WithDefault("${GATEWAY_IDLE_TIMEOUT:120s}")
    Duration idleTimeout();

    /** GATEWAY_MAX_ATTEMPTS: attempts per request, the first included, across backends and keys. */
    @WithDefault("${GATEWAY_MAX_ATTEMPTS:3}")
    @Min(1)
    @Max(10)
    int maxAttempts();

    /** GATEWAY_RETRY_RATIO: retries may add at most this fraction of extra load (a retry budget). */
    @WithDefault("${GATEWAY_RETRY_RATIO:0.2}")
    double retryRatio();

    /**
     * GATEWAY_MAX_CONNECTIONS: pooled connections per backend on each event loop (each keeps its own pool, so a
     * request's upstream I/O stays on the thread that handles it; Quarkus runs two event loops per core).
     */
    @WithDefault("${GATEWAY_MAX_CONNECTIONS:512}")
    @Min(1)
    int maxConnections();

    /** PRICE_PER_1K_INPUT_TOKENS: credits charged per 1,000 prompt tokens. */
    @WithDefault("${PRICE_PER_1K_INPUT_TOKENS:0.5}")
    BigDecimal pricePer1kInputTokens();

    /** PRICE_PER_1K_OUTPUT_TOKENS: credits charged per 1,000 generated tokens. */
    @WithDefault("${PRICE_PER_1K_OUTPUT_TOKENS:1.5}")
    BigDecimal pricePer1kOutputTokens();

    /** DEFAULT_MAX_TOKENS: output tokens assumed for the credit check when a request sets no max_tokens. */
    @WithDefault("${DEFAULT_MAX_TOKENS:1024}")
    @Min(1)
    int defaultMaxTokens();
}
