package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.function.Function;

/**
 * Token buckets in Redis, exact across replicas: one Lua script reads, refills and takes atomically, using Redis's own
 * clock so replicas with skewed clocks still agree.
 */
public class RedisRateLimiter implements RateLimiter {

    static final String SCRIPT = """
            local capacity = tonumber(ARGV[1])
            local per_ms = capacity / 60000
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1])
            local ts = tonumber(state[2])
            if tokens == nil or ts == nil then
              tokens = capacity
              ts = now
            end
            tokens = math.min(capacity, tokens + math.max(0, now - ts) * per_ms)
            local allowed = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], 120000)
            local retry = 0
            if allowed == 0 then retry = math.ceil((1 - tokens) / per_ms) end
            local reset = math.ceil((capacity - tokens) / per_ms)
            return {allowed, math.floor(tokens), retry, reset}
            """;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final Function<String, String> keyOf;
    private final Duration timeout;

    public RedisRateLimiter(ReactiveRedisDataSource redis, Function<String, String> keyOf) {
        this(redis, keyOf, DEFAULT_TIMEOUT);
    }

    /** {@code timeout}: past it the answer is a failure (the caller falls back to memory). */
    public RedisRateLimiter(ReactiveRedisDataSource redis, Function<String, String> keyOf, Duration timeout) {
        this.redis = redis;
        this.keyOf = keyOf;
        this.timeout = timeout;
    }

    @Override
    public Uni<RateLimitDecision> acquire(String bucket, int perMinute) {
        return redis.execute("EVAL", SCRIPT, "1", keyOf.apply("ratelimit:" + bucket), String.valueOf(perMinute))
                .ifNoItem().after(timeout).fail()
                .map(response -> decision(response, perMinute));
    }

    /** Deletes {@code bucket}: the next request finds it full. */
    public Uni<Void> reset(String bucket) {
        return redis.execute("DEL", keyOf.apply("ratelimit:" + bucket))
                .ifNoItem().after(timeout).fail().replaceWithVoid();
    }

    private static RateLimitDecision decision(Response response, int perMinute) {
        return new RateLimitDecision(response.get(0).toLong() == 1, perMinute, response.get(1).toLong(),
                response.get(2).toLong(), response.get(3).toLong());
    }
}
