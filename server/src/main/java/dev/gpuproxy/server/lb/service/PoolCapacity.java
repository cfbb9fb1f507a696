package dev.gpuproxy.server.lb.service;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import io.vertx.core.Future;

/**
 * A port for pools whose backends come and go (autoscaled pools): lets a request that finds no usable backend wait,
 * bounded, for one to join instead of failing. The gateway asks; whoever rents capacity implements it. Without an
 * implementation no pool can wait ({@link #NONE}).
 */
public interface PoolCapacity {

    /** How a wait ended. */
    enum Outcome {
        /** A backend other than the one to avoid is usable now: try again. */
        JOINED,
        /** None joined within the pool's cold-start limit. */
        TIMED_OUT,
        /** Too many requests are waiting already; this one was not queued. */
        QUEUE_FULL,
        /** The pool does not scale: nothing will join, fail as before. */
        NOT_SCALABLE
    }

    /**
     * Waits until {@code pool} has a usable backend other than {@code avoid} (may be null).
     *
     * @return completes on the caller's Vert.x context when the wait ends; never fails
     */
    Future<Outcome> awaitBackend(Pool pool, Backend avoid);

    /** Seconds a refused caller should wait before trying again (the Retry-After of a 503). */
    long retryAfterSeconds(Pool pool);

    /** Nothing scales: every wait ends at once. */
    PoolCapacity NONE = new PoolCapacity() {
        @Override
        public Future<Outcome> awaitBackend(Pool pool, Backend avoid) {
            return Future.succeededFuture(Outcome.NOT_SCALABLE);
        }

        @Override
        public long retryAfterSeconds(Pool pool) {
            return 1;
        }
    };
}
