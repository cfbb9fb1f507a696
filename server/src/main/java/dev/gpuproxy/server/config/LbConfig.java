package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Load balancing and hosted-API backends (environment variables LB_*, BACKENDS_FILE, *_API_KEYS, SERVICE_ENDPOINTS). */
@ConfigMapping(prefix = "lb")
public interface LbConfig {

    /** LB_ENABLED: balance across backends; off = always the first backend of a pool. */
    @WithDefault("${LB_ENABLED:true}")
    boolean enabled();

    /** LB_STRATEGY: the global default strategy. */
    @WithDefault("${LB_STRATEGY:round_robin}")
    String strategy();

    /** BACKENDS_FILE: YAML with pools and backends (see README). */
    @WithDefault("${BACKENDS_FILE:}")
    Optional<String> backendsFile();

    /** KEYS_FILE: lines of {@code provider:key} (openai, anthropic, nvidia) added to those providers' pools. */
    @WithDefault("${KEYS_FILE:}")
    Optional<String> keysFile();

    /** OPENAI_API_KEYS: comma-separated keys for the {@code openai} pool (models {@code openai/...}). */
    @WithDefault("${OPENAI_API_KEYS:}")
    Optional<String> openaiApiKeys();

    /** ANTHROPIC_API_KEYS: comma-separated keys for the {@code anthropic} pool (models {@code anthropic/...}). */
    @WithDefault("${ANTHROPIC_API_KEYS:}")
    Optional<String> anthropicApiKeys();

    /** NVIDIA_API_KEYS: comma-separated keys for the {@code nvidia} pool (models {@code nvidia/...}). */
    @WithDefault("${NVIDIA_API_KEYS:}")
    Optional<String> nvidiaApiKeys();

    /** SERVICE_ENDPOINTS: JSON {"openai":[base urls],...} replacing the providers' default base URLs. */
    @WithDefault("${SERVICE_ENDPOINTS:}")
    Optional<String> serviceEndpoints();

    /** PROVIDER_KEY_RPM: requests per minute allowed per provider key (token bucket, continuous refill). */
    @WithDefault("${PROVIDER_KEY_RPM:60}")
    int providerKeyRpm();

    /** LB_HEALTH_INTERVAL: how often self-hosted backends are probed (a duration, or {@code off}). */
    @WithDefault("${LB_HEALTH_INTERVAL:10s}")
    String healthInterval();

    /** LB_HEALTH_TIMEOUT: longest wait for one health check's answer. */
    @WithDefault("${LB_HEALTH_TIMEOUT:2s}")
    Duration healthTimeout();

    /** LB_REFRESH_INTERVAL: how often pools and backends are re-read from the database (changes by other replicas). */
    @WithDefault("${LB_REFRESH_INTERVAL:5s}")
    Duration refreshInterval();

    /**
     * LB_COST_LATENCY_BOUND: for {@code cost_per_token}, backends slower than this (EWMA latency) are used only when
     * none is within it; unset = no bound, the cheapest per token always wins.
     */
    @WithDefault("${LB_COST_LATENCY_BOUND:}")
    Optional<Duration> costLatencyBound();
}
