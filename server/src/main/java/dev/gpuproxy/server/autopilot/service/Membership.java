package dev.gpuproxy.server.autopilot.service;

import dev.gpuproxy.server.config.AutopilotConfig;
import dev.gpuproxy.lb.BackendSpec;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.AutoscaleSpec;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which rented GPUs serve their pool on this replica. Every replica runs it (pools are per replica): each check, every
 * live rental of every autoscaled pool is probed at its readiness path. A GPU joins its pool on its first 200; a
 * member leaves at once when its probe fails (connection refused, timeout, non-200) or the poller reports its instance
 * lost, and is then remembered as dead so the autopilot releases it and rents a replacement. Requests waiting for
 * capacity are woken after each check.
 */
@ApplicationScoped
public class Membership {

    /** Ids of run-time backends: far below the negative ids of declared ones, one per instance row. */
    static final long BACKEND_ID_BASE = -1_000_000_000L;

    /** A GPU serving a pool on this replica. */
    record Member(long poolId, long backendId, Instant joinedAt) {}

    private final PoolRegistry registry;
    private final Rentals rentals;
    private final CapacityWaiters waiters;
    private final Clock clock;
    private final Duration probeTimeout;
    private final HttpClient http;
    private final Map<Long, Member> members = new ConcurrentHashMap<>();
    /** Instances that served and then failed: they never join again. */
    private final Set<Long> dead = ConcurrentHashMap.newKeySet();

    Membership(PoolRegistry registry, Rentals rentals, CapacityWaiters waiters, Clock clock, AutopilotConfig config) {
        this.registry = registry;
        this.rentals = rentals;
        this.waiters = waiters;
        this.clock = clock;
        this.probeTimeout = config.probeTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(probeTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Scheduled(every = "${autopilot.check-interval:${AUTOPILOT_CHECK_INTERVAL:1s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        checkOnce();
    }

    /** Probes every live rental of every autoscaled pool once, and applies the answers. */
    public void checkOnce() {
        Set<Long> live = new HashSet<>();
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (Pool pool : registry.autoscaledPools()) {
            Optional<AutoscaleSpec> spec = registry.autoscale(pool);
            if (spec.isEmpty()) {
                continue;
            }
            List<Rental> rented;
            try {
                rented = rentals.live(pool);
            } catch (RuntimeException e) {
                Log.warnf("Autopilot: rentals of pool %s cannot be read: %s", pool.name(), e.getMessage());
                members.values().stream().filter(m -> m.poolId() == pool.id()).forEach(m -> live.add(instanceOf(m)));
                continue;
            }
            for (Rental rental : rented) {
                live.add(rental.instanceId());
                if (rental.instanceEnded() || rental.lostAtProvider()) {
                    leave(rental.instanceId(), "its instance is " + rental.state() + " at " + rental.provider());
                } else if (rental.running() && !dead.contains(rental.instanceId())) {
                    probes.add(probe(pool, spec.get(), rental));
                }
            }
        }
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).join();
        for (Long instanceId : List.copyOf(members.keySet())) {
            if (!live.contains(instanceId)) {
                leave(instanceId, "its rental ended");
            }
        }
        dead.retainAll(live);
        waiters.wake();
    }

    private CompletableFuture<Void> probe(Pool pool, AutoscaleSpec spec, Rental rental) {
        String root = rootUrl(rental.endpoint());
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + spec.readiness()))
                .timeout(probeTimeout).header("User-Agent", "gpuproxy-autopilot").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    boolean ok = error == null && response.statusCode() == 200;
                    if (ok && !members.containsKey(rental.instanceId())) {
                        join(pool, spec, rental, root);
                    } else if (!ok && members.containsKey(rental.instanceId())) {
                        dead.add(rental.instanceId());
                        leave(rental.instanceId(), error != null ? "its readiness probe failed: " + error
                                : "its readiness probe answered HTTP " + response.statusCode());
                    }
                    return null;
                });
    }

    private void join(Pool pool, AutoscaleSpec spec, Rental rental, String root) {
        long backendId = BACKEND_ID_BASE - rental.instanceId();
        BackendSpec backend = new BackendSpec(backendId, "openai", root + "/v1", List.of(), null, null,
                rental.gpuModel(), null, rental.pricePerHour(), spec.readiness(), rental.instanceId(), "autoscale");
        if (registry.join(pool.id(), backend)) {
            members.put(rental.instanceId(), new Member(pool.id(), backendId, clock.instant()));
            Log.infof("Autopilot: GPU %d (%s %s) joined pool %s at %s", rental.instanceId(), rental.provider(),
                    rental.providerInstanceId(), pool.name(), root);
            try {
                rentals.ready(rental.instanceId());
            } catch (RuntimeException e) {
                Log.debugf("Marking GPU %d ready failed: %s", rental.instanceId(), e.getMessage());
            }
            waiters.wake();
        }
    }

    /** Takes a GPU out of its pool at once (before it is released, or because it died); idempotent. */
    public void leave(long instanceId, String why) {
        Member member = members.remove(instanceId);
        if (member != null) {
            registry.leave(member.poolId(), member.backendId());
            Log.infof("Autopilot: GPU %d left its pool: %s", instanceId, why);
        }
    }

    /** Whether the GPU serves its pool on this replica. */
    public boolean serving(long instanceId) {
        return members.containsKey(instanceId);
    }

    /** Whether the GPU served and then stopped answering: it must be released. */
    public boolean dead(long instanceId) {
        return dead.contains(instanceId);
    }

    /** When it joined, if it serves. */
    public Optional<Instant> joinedAt(long instanceId) {
        return Optional.ofNullable(members.get(instanceId)).map(Member::joinedAt);
    }

    private static long instanceOf(Member member) {
        return BACKEND_ID_BASE - member.backendId();
    }

    /** {@code http://host:port} of an instance endpoint (a static server's URL is used as it is). */
    static String rootUrl(String endpoint) {
        String trimmed = endpoint.strip().replaceAll("/+$", "");
        if (!trimmed.contains("://")) {
            return "http://" + trimmed;
        }
        URI uri = URI.create(trimmed);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
