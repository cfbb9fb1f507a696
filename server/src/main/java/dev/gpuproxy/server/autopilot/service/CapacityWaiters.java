package dev.gpuproxy.server.autopilot.service;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.AutoscaleSpec;
import dev.gpuproxy.server.lb.service.PoolCapacity;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Requests that found their autoscaled pool without a usable backend, waiting (bounded: {@code max_waiting} per pool
 * on this replica, each at most {@code cold_start_timeout}) for a GPU to join. Their number is part of the load the
 * autopilot scales on, so the first request to an empty pool is what rents its first GPU.
 */
@ApplicationScoped
public class CapacityWaiters implements PoolCapacity {

    private record Waiter(Pool pool, Backend avoid, Promise<Outcome> promise, long timer) {}

    private final PoolRegistry registry;
    private final Vertx vertx;
    private final Map<Long, Queue<Waiter>> waiting = new ConcurrentHashMap<>();

    CapacityWaiters(PoolRegistry registry, Vertx vertx) {
        this.registry = registry;
        this.vertx = vertx;
    }

    @Override
    public Future<Outcome> awaitBackend(Pool pool, Backend avoid) {
        Optional<AutoscaleSpec> spec = registry.autoscale(pool);
        if (spec.isEmpty()) {
            return Future.succeededFuture(Outcome.NOT_SCALABLE);
        }
        if (hasOther(pool, avoid)) {
            return Future.succeededFuture(Outcome.JOINED);
        }
        Queue<Waiter> queue = waiting.computeIfAbsent(pool.id(), id -> new ConcurrentLinkedQueue<>());
        if (queue.size() >= spec.get().maxWaitingRequests() || spec.get().maxGpus() == 0) {
            return Future.succeededFuture(Outcome.QUEUE_FULL);
        }
        Promise<Outcome> promise = Promise.promise();
        long[] timer = new long[1];
        Waiter[] self = new Waiter[1];
        timer[0] = vertx.setTimer(Math.max(1, spec.get().coldStartLimit().toMillis()), id -> {
            if (queue.remove(self[0])) {
                promise.tryComplete(Outcome.TIMED_OUT);
            }
        });
        self[0] = new Waiter(pool, avoid, promise, timer[0]);
        queue.add(self[0]);
        // A GPU may have joined between the check above and the queueing.
        wake();
        return promise.future();
    }

    @Override
    public long retryAfterSeconds(Pool pool) {
        // A GPU usually takes a good part of its cold-start limit to boot; asking again sooner only adds load.
        return registry.autoscale(pool).map(spec -> Math.max(1, Math.min(120, spec.coldStartLimit().toSeconds() / 4)))
                .orElse(1L);
    }

    /** Requests waiting for a GPU of {@code pool} on this replica. */
    public int waiting(Pool pool) {
        Queue<Waiter> queue = waiting.get(pool.id());
        return queue == null ? 0 : queue.size();
    }

    /** Lets every waiter whose pool now has a usable backend (other than the one it avoids) go on. */
    public void wake() {
        for (Queue<Waiter> queue : waiting.values()) {
            for (Waiter waiter : queue) {
                if (hasOther(waiter.pool(), waiter.avoid()) && queue.remove(waiter)) {
                    vertx.cancelTimer(waiter.timer());
                    waiter.promise().tryComplete(Outcome.JOINED);
                }
            }
        }
    }

    private static boolean hasOther(Pool pool, Backend avoid) {
        Backend picked = pool.pickOther(avoid, System.nanoTime());
        return picked != null && picked != avoid;
    }
}
