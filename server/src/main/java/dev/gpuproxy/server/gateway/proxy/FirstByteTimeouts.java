package dev.gpuproxy.server.gateway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.time.Duration;

/**
 * The first-byte timeouts (GATEWAY_FIRST_BYTE_TIMEOUT) of the upstream requests sent from one event loop, with one
 * timer for all of them instead of one per request.
 *
 * <p>Vert.x's request timeout is a timer per request: an entry in the Vert.x instance's map of timers, shared by all
 * event loops, and a task in Netty's scheduled-task queue, both added when the request is sent and removed when its
 * answer starts: 2.5% of gpuproxyd's CPU samples under pass-through load. Here every request of a loop waits the same
 * time, so their deadlines come in the order they were sent: a watch is appended to a list and unlinked when the
 * answer starts, both in constant time, and one timer, at the earliest deadline, expires what is overdue. Under steady
 * load that timer fires about once per timeout period.
 *
 * <p>Each event loop has its own instance ({@link #perEventLoop}), used from that loop's thread only.
 */
final class FirstByteTimeouts {

    /** One request waiting for its first byte; {@link #cancel} it when the answer starts or the request ends. */
    static final class Watch {
        private final FirstByteTimeouts owner;
        private final long deadline;
        private final Runnable onTimeout;
        private Watch previous;
        private Watch next;
        private boolean linked = true;

        private Watch(FirstByteTimeouts owner, long deadline, Runnable onTimeout) {
            this.owner = owner;
            this.deadline = deadline;
            this.onTimeout = onTimeout;
        }

        /** Stops the watch; harmless when it already fired or was cancelled. */
        void cancel() {
            if (linked) {
                owner.unlink(this);
            }
        }
    }

    /** The event loop's own context: the timer fires on it, whichever request's context armed it. */
    private final ContextInternal eventLoop;
    private final long timeoutNanos;
    private Watch oldest;
    private Watch newest;
    private boolean timerArmed;

    private FirstByteTimeouts(ContextInternal eventLoop, long timeoutNanos) {
        this.eventLoop = eventLoop;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * One instance per event-loop thread, made on its first use there; null on a thread that is not running an
     * event-loop context, or when there is no timeout (zero): the caller then uses Vert.x's own request timeout.
     */
    static ThreadLocal<FirstByteTimeouts> perEventLoop(Duration timeout) {
        long nanos = timeout.toNanos();
        return ThreadLocal.withInitial(() -> {
            ContextInternal context = (ContextInternal) Vertx.currentContext();
            return nanos > 0 && context != null && context.isEventLoopContext() && context.inThread()
                    ? new FirstByteTimeouts(context.unwrap(), nanos) : null;
        });
    }

    /** Watches a request sent now: {@code onTimeout} runs on this event loop if the watch is not cancelled in time. */
    Watch start(Runnable onTimeout) {
        Watch watch = new Watch(this, System.nanoTime() + timeoutNanos, onTimeout);
        if (newest == null) {
            oldest = watch;
        } else {
            newest.next = watch;
            watch.previous = newest;
        }
        newest = watch;
        if (!timerArmed) {
            arm(timeoutNanos);
        }
        return watch;
    }

    private void unlink(Watch watch) {
        if (watch.previous == null) {
            oldest = watch.next;
        } else {
            watch.previous.next = watch.next;
        }
        if (watch.next == null) {
            newest = watch.previous;
        } else {
            watch.next.previous = watch.previous;
        }
        watch.previous = null;
        watch.next = null;
        watch.linked = false;
    }

    private void arm(long delayNanos) {
        timerArmed = true;
        // Rounded up: a watch never fires before its deadline.
        eventLoop.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> expireOverdue());
    }

    private void expireOverdue() {
        timerArmed = false;
        long now = System.nanoTime();
        while (oldest != null && oldest.deadline - now <= 0) {
            Watch overdue = oldest;
            unlink(overdue);
            overdue.onTimeout.run();
        }
        if (oldest != null && !timerArmed) {
            arm(oldest.deadline - now);
        }
    }

    /** Watches not yet cancelled or fired (for tests). */
    int watching() {
        int count = 0;
        for (Watch watch = oldest; watch != null; watch = watch.next) {
            count++;
        }
        return count;
    }
}
