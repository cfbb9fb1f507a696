package dev.gpuproxy.server.admin.service;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Upstream attempts and errors per minute over the last 24 hours, for the admin overview. The balancer's backends only
 * keep lifetime counters, and no table records failed attempts, so this samples those counters and keeps the
 * differences in a ring of minute buckets, and adds them to {@link SharedTrafficCounters} in Redis, whose sums over
 * every replica are what {@link #between} answers when Redis is configured. Without Redis it covers this replica since
 * its start and is lost on restart; persisted traffic (usage_sessions) is what the request series use.
 */
@ApplicationScoped
public class TrafficSampler {

    static final int MINUTES = 24 * 60;

    /** The counters of one backend at the last sample; a backend that disappears is forgotten with its object. */
    private record Seen(long requests, long errors) {}

    private final PoolRegistry registry;
    private final Clock clock;
    private final SharedTrafficCounters shared;
    private final Map<Backend, Seen> seen = new WeakHashMap<>();
    private final long[] bucketMinute = new long[MINUTES];
    private final long[] attempts = new long[MINUTES];
    private final long[] errors = new long[MINUTES];
    private final Instant startedAt;

    TrafficSampler(PoolRegistry registry, Clock clock, SharedTrafficCounters shared) {
        this.shared = shared;
        this.registry = registry;
        this.clock = clock;
        this.startedAt = clock.instant();
        java.util.Arrays.fill(bucketMinute, -1);
    }

    /** Attempts and errors in a time range. */
    public record Counts(long attempts, long errors) {}

    @Scheduled(every = "${admin.traffic-sample-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        sample();
    }

    /** Adds what every live backend did since the last sample to the current minute. */
    public synchronized void sample() {
        long minute = clock.instant().getEpochSecond() / 60;
        long addedAttempts = 0;
        long addedErrors = 0;
        for (Pool pool : registry.pools()) {
            for (Backend backend : pool.backends()) {
                Seen now = new Seen(backend.requests(), backend.errors());
                Seen before = seen.put(backend, now);
                // A backend seen for the first time was created after the last sample: all it did is new.
                addedAttempts += delta(before == null ? 0 : before.requests(), now.requests());
                addedErrors += delta(before == null ? 0 : before.errors(), now.errors());
            }
        }
        if (addedAttempts == 0 && addedErrors == 0) {
            return;
        }
        int slot = (int) (minute % MINUTES);
        if (bucketMinute[slot] != minute) {
            bucketMinute[slot] = minute;
            attempts[slot] = 0;
            errors[slot] = 0;
        }
        attempts[slot] += addedAttempts;
        errors[slot] += addedErrors;
        shared.add(minute, addedAttempts, addedErrors);
    }

    private static long delta(long before, long now) {
        return now >= before ? now - before : now;
    }

    /** Attempts and errors recorded in [from, to), to the minute; at most the last 24 hours are kept. */
    public Counts between(Instant from, Instant to) {
        long first = Math.floorDiv(from.getEpochSecond(), 60);
        long end = Math.floorDiv(to.getEpochSecond() + 59, 60);
        return shared.between(first, end).orElseGet(() -> local(first, end));
    }

    private synchronized Counts local(long first, long end) {
        long a = 0;
        long e = 0;
        for (int slot = 0; slot < MINUTES; slot++) {
            long minute = bucketMinute[slot];
            if (minute >= first && minute < end) {
                a += attempts[slot];
                e += errors[slot];
            }
        }
        return new Counts(a, e);
    }

    /** Since when this replica has been counting. */
    public Instant countingSince() {
        return startedAt;
    }
}
