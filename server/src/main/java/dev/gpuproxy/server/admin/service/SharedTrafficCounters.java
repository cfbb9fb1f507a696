package dev.gpuproxy.server.admin.service;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upstream attempts and errors per minute summed over every replica, in Redis ({@code traffic:<minute>:a|e}, kept 25
 * hours), so the admin overview shows the service rather than the replica that answers. Each replica adds what its
 * {@link TrafficSampler} sampled; without Redis (or while it is down) there is nothing shared and callers fall back to
 * their own counts.
 */
@ApplicationScoped
public class SharedTrafficCounters {

    private static final String TTL_SECONDS = String.valueOf(25 * 3600);

    private final OptionalRedis redis;

    SharedTrafficCounters(OptionalRedis redis) {
        this.redis = redis;
    }

    /**
     * Adds one replica's sample to a minute, waiting at most REDIS_TIMEOUT per command (so a read right after sees it);
     * a failed add only loses it from the shared view.
     */
    void add(long minute, long attempts, long errors) {
        redis.dataSource().ifPresent(ds -> {
            try {
                increment(ds, key(minute, "a"), attempts);
                increment(ds, key(minute, "e"), errors);
            } catch (RuntimeException e) {
                Log.debugf("Shared traffic counter not updated: %s", e.getMessage());
            }
        });
    }

    /** The sums over minutes [first, end), or empty when Redis is not configured or does not answer in time. */
    Optional<TrafficSampler.Counts> between(long first, long end) {
        Optional<ReactiveRedisDataSource> ds = redis.dataSource();
        if (ds.isEmpty() || end <= first) {
            return ds.isEmpty() ? Optional.empty() : Optional.of(new TrafficSampler.Counts(0, 0));
        }
        List<String> keys = new ArrayList<>();
        for (long minute = Math.max(first, end - TrafficSampler.MINUTES); minute < end; minute++) {
            keys.add(key(minute, "a"));
            keys.add(key(minute, "e"));
        }
        try {
            Response values = ds.get().execute("MGET", keys.toArray(String[]::new)).await().atMost(redis.timeout());
            long attempts = 0;
            long errors = 0;
            for (int i = 0; i < values.size(); i++) {
                Response value = values.get(i);
                long n = value == null ? 0 : value.toLong();
                if (i % 2 == 0) {
                    attempts += n;
                } else {
                    errors += n;
                }
            }
            return Optional.of(new TrafficSampler.Counts(attempts, errors));
        } catch (RuntimeException e) {
            Log.debugf("Shared traffic counters unavailable, showing this replica's: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private String key(long minute, String kind) {
        return redis.key("traffic:" + minute + ":" + kind);
    }

    private void increment(ReactiveRedisDataSource ds, String key, long by) {
        if (by == 0) {
            return;
        }
        ds.execute("INCRBY", key, String.valueOf(by)).chain(() -> ds.execute("EXPIRE", key, TTL_SECONDS))
                .await().atMost(redis.timeout().multipliedBy(2));
    }
}
