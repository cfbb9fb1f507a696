package dev.gpuproxy.server.lb.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A backend with its live state, as the admin API and stats show it (keys masked). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendView(
        long id,
        String pool,
        String kind,
        String url,
        double weight,
        @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("vram_gb") Integer vramGb,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("instance_id") Long instanceId,
        String source,
        @JsonProperty("in_flight") int inFlight,
        long requests,
        long errors,
        @JsonProperty("ewma_latency_ms") double ewmaLatencyMs,
        @JsonProperty("ttft_ms") double ttftMs,
        @JsonProperty("consecutive_failures") int consecutiveFailures,
        boolean ejected,
        @JsonProperty("ejected_until") Instant ejectedUntil,
        List<KeyView> keys) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String key, boolean disabled, @JsonProperty("disabled_reason") String disabledReason,
                          @JsonProperty("cooldown_until") Instant cooldownUntil,
                          @JsonProperty("tokens_left") Long tokensLeft, long requests,
                          @JsonProperty("rate_limited") long rateLimited,
                          @JsonProperty("auth_failures") long authFailures,
                          @JsonProperty("server_errors") long serverErrors,
                          @JsonProperty("last_used") Instant lastUsed) {}

    public static BackendView of(Backend b, String poolName) {
        long now = System.nanoTime();
        List<KeyView> keys = b.keys().keys().stream().map(k -> key(k, now)).toList();
        return new BackendView(b.id(), poolName, b.kind(), b.url(), b.weight(), b.spec().rateLimitRpm(),
                b.spec().gpuModel(), b.spec().vramGb(), b.spec().pricePerHour(), b.spec().instanceId(),
                b.spec().source(), b.inFlight(), b.requests(), b.errors(), b.latencyNanos() / 1e6, b.ttftNanos() / 1e6,
                b.consecutiveFailures(), b.isEjected(now), b.isEjected(now) ? wall(b.ejectedUntilNanos(), now) : null,
                keys.isEmpty() ? null : keys);
    }

    private static KeyView key(BackendKey k, long now) {
        long tokens = k.tokensLeft(now);
        return new KeyView(k.masked(), k.disabled(), k.disabledReason(),
                k.cooldownUntilNanos() > now ? wall(k.cooldownUntilNanos(), now) : null,
                tokens < 0 ? null : tokens, k.requests(), k.rateLimitedCount(), k.authFailures(), k.serverErrors(),
                k.lastUsedNanos() == 0 ? null : wall(k.lastUsedNanos(), now));
    }

    /** Converts a System.nanoTime() reading to wall-clock time. */
    static Instant wall(long nanos, long now) {
        return Instant.now().plusNanos(nanos - now);
    }
}
