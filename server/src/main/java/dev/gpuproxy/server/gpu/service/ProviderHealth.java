package dev.gpuproxy.server.gpu.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last thing each provider did when the server talked to it (listing offers, polling instances): shown in the
 * readiness data and in {@code GET /api/v1/gpu/providers}, without calling providers from a health probe.
 */
@ApplicationScoped
public class ProviderHealth {

    /**
     * @param ok      whether the last call succeeded
     * @param message the failure, or null
     * @param at      when that call ended
     */
    public record Status(boolean ok, String message, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    ProviderHealth(Clock clock) {
        this.clock = clock;
    }

    public void succeeded(String provider) {
        statuses.put(provider, new Status(true, null, clock.instant()));
    }

    public void failed(String provider, String message) {
        statuses.put(provider, new Status(false, message, clock.instant()));
    }

    /** Empty until the provider was first called. */
    public Optional<Status> status(String provider) {
        return Optional.ofNullable(statuses.get(provider));
    }
}
