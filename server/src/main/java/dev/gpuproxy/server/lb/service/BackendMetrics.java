package dev.gpuproxy.server.lb.service;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes every backend's live state to Prometheus (/q/metrics, admins only), labelled by pool and backend id:
 * in-flight, requests, errors, EWMA latency, TTFT, ejection, and per key requests, 429s, auth failures and tokens
 * left. Meters read the live objects; nothing is counted twice.
 */
@ApplicationScoped
public class BackendMetrics {

    private final MeterRegistry registry;
    private final Map<Backend, List<Meter>> meters = new ConcurrentHashMap<>();

    BackendMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Starts publishing {@code backend}; replaced backends stop being published. */
    public void track(String pool, Backend backend) {
        meters.computeIfAbsent(backend, b -> register(pool, b));
    }

    public void untrackAllExcept(java.util.Collection<Backend> live) {
        for (Backend backend : List.copyOf(meters.keySet())) {
            if (!live.contains(backend)) {
                meters.remove(backend).forEach(registry::remove);
            }
        }
    }

    private List<Meter> register(String pool, Backend b) {
        // Labelled by id and pool, never by URL: a URL can be a tenant's instance endpoint or carry credentials.
        Tags tags = Tags.of("pool", pool, "backend", String.valueOf(b.id()));
        List<Meter> list = new ArrayList<>();
        list.add(Gauge.builder("gpuproxy_backend_in_flight", b, Backend::inFlight).tags(tags).register(registry));
        list.add(FunctionCounter.builder("gpuproxy_backend_requests", b, Backend::requests).tags(tags).register(registry));
        list.add(FunctionCounter.builder("gpuproxy_backend_errors", b, Backend::errors).tags(tags).register(registry));
        list.add(Gauge.builder("gpuproxy_backend_latency_seconds", b, x -> x.latencyNanos() / 1e9).tags(tags)
                .register(registry));
        list.add(Gauge.builder("gpuproxy_backend_ttft_seconds", b, x -> x.ttftNanos() / 1e9).tags(tags)
                .register(registry));
        list.add(Gauge.builder("gpuproxy_backend_ejected", b, x -> x.isEjected(System.nanoTime()) ? 1 : 0).tags(tags)
                .register(registry));
        for (BackendKey key : b.keys().keys()) {
            Tags keyTags = tags.and("key", key.masked());
            list.add(FunctionCounter.builder("gpuproxy_backend_key_requests", key, BackendKey::requests).tags(keyTags)
                    .register(registry));
            list.add(FunctionCounter.builder("gpuproxy_backend_key_rate_limited", key, BackendKey::rateLimitedCount)
                    .tags(keyTags).register(registry));
            list.add(FunctionCounter.builder("gpuproxy_backend_key_auth_failures", key, BackendKey::authFailures)
                    .tags(keyTags).register(registry));
            list.add(Gauge.builder("gpuproxy_backend_key_tokens", key, k -> k.tokensLeft(System.nanoTime()))
                    .tags(keyTags).register(registry));
        }
        return list;
    }
}
