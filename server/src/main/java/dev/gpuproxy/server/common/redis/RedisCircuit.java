package dev.gpuproxy.server.common.redis;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A circuit breaker in front of Redis, shared by every feature that can do without it (rate limits, balanced
 * sessions, event fan-out, health). One command that fails or outlasts REDIS_TIMEOUT opens it; while open, callers use
 * their fallback at once instead of waiting on a Redis that hangs, and a background probe (one PING a second) closes it
 * when Redis answers again. So a hung Redis costs one request one timeout, not every request.
 */
@ApplicationScoped
public class RedisCircuit {

    private final OptionalRedis redis;
    private volatile boolean open;

    RedisCircuit(OptionalRedis redis) {
        this.redis = redis;
    }

    /** True when Redis is configured and answered the last time it was asked. */
    public boolean available() {
        return redis.configured() && !open;
    }

    /** Records a failed or timed-out command: until the probe sees Redis answer, callers skip it. */
    public void failed(Throwable cause) {
        if (!open) {
            open = true;
            Log.warnf("Redis did not answer (%s); using fallbacks until it does", cause.getMessage());
        }
    }

    @Scheduled(every = "${redis.probe-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void probe() {
        if (open && redis.ping()) {
            open = false;
            Log.info("Redis answers again");
        }
    }
}
