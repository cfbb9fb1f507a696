package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * GPU marketplace settings shared by every provider: timeouts, the offer cache, the instance poller and the
 * operator's own GPU servers. Provider accounts are in {@link VastAiConfig} and {@link IoNetConfig}.
 */
@ConfigMapping(prefix = "gpu")
public interface GpuConfig {

    /** GPU_API_TIMEOUT: longest wait for one answer from a provider's API (default 30s). */
    @WithDefault("30s")
    Duration apiTimeout();

    /**
     * GPU_OFFERS_TIMEOUT: longest wait for one provider's offers when listing them (default 30s). A slower provider
     * is reported in the listing's {@code errors} and the others are shown.
     */
    @WithDefault("30s")
    Duration offersTimeout();

    /** GPU_OFFER_CACHE_TTL: how long one provider's answer to one query is reused (default 20s; 0 disables). */
    @WithDefault("20s")
    Duration offerCacheTtl();

    /**
     * GPU_POLL_INTERVAL: how often instance states are polled and running time is charged (default 15s; {@code off}
     * disables the poller). With several replicas only the one
     * holding the {@code gpu-instance-poller} lease polls (see ClusterConfig).
     */
    @WithDefault("15s")
    String pollInterval();

    /**
     * STATIC_GPUS_FILE: a YAML or JSON list of the operator's own GPU servers, offered as provider {@code static}
     * (unset: none).
     */
    @WithDefault("${STATIC_GPUS_FILE:}")
    Optional<String> staticGpusFile();

    /**
     * GPU_DEFAULT_IMAGE: the container image a rental or reservation runs when the request names none (default
     * {@code vllm/vllm-openai:latest}, an OpenAI-compatible inference server); {@code none} makes the image required
     * again for providers that need one (vast.ai).
     */
    @WithDefault("vllm/vllm-openai:latest")
    String defaultImage();

    /**
     * GPU_DEFAULT_PORTS: container ports published when the request names none (comma-separated, default
     * {@code 8000}, vLLM's); the first one becomes the instance's endpoint.
     */
    @WithDefault("8000")
    List<Integer> defaultPorts();

    /**
     * GPU_DEFAULT_HEALTH_PATH: the path the balancer probes on a reserved instance before and while sending it traffic
     * (default {@code /health}: vLLM answers 200 there only once the model is loaded).
     */
    @WithDefault("/health")
    String defaultHealthPath();
}
