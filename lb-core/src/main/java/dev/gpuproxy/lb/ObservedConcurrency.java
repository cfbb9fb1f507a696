package dev.gpuproxy.lb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many requests a backend serves at once without slowing down, learnt from its answers. A GPU server batches
 * requests, so several in flight need not mean a queue: an answer that arrived at good latency (at most
 * {@link #GOOD_LATENCY_FACTOR} times the backend's latency floor) although {@code k} requests were in flight when it
 * was sent shows that the backend serves {@code k} at once (it answers in arrival order, so the earlier ones were
 * served beside it, not ahead of it). The estimate is the largest such {@code k}. The count at sending is what matters:
 * requests sent later may wait in the backend's queue, so the count at the answer would overstate it. Each start
 * leaves its count in a small table keyed by its start time, which the answer finds again from its latency.
 * <p>
 * It starts at 1 (every other request in flight counts as queueing until the backend shows otherwise) and only grows:
 * a backend that gets slower or saturates shows it at once in its peak-EWMA latency, which the strategies weigh too,
 * while shrinking the estimate on slow answers would feed on itself (a backend held below its capacity is never seen
 * serving more). Racy by design, like {@link PeakEwma}: an overwritten start only loses one sample.
 */
final class ObservedConcurrency {

    /** An answer up to this many times the floor counts as served without queueing. */
    static final double GOOD_LATENCY_FACTOR = 1.5;
    /** The floor follows a backend that got permanently slower over a few minutes. */
    static final long FLOOR_TAU_NANOS = 120_000_000_000L;
    /** Starts remembered (a power of two); an answer whose start was overwritten teaches nothing. */
    private static final int RECENT_STARTS = 64;

    /**
     * The latency floor as a peak EWMA of negated latencies: a faster answer lowers the floor at once, slower ones
     * raise it only slowly.
     */
    private final PeakEwma negatedFloor;
    private final AtomicInteger concurrency = new AtomicInteger(1);
    private final AtomicLongArray startNanos = new AtomicLongArray(RECENT_STARTS);
    private final AtomicIntegerArray inFlightAtStart = new AtomicIntegerArray(RECENT_STARTS);

    ObservedConcurrency(long nowNanos) {
        this.negatedFloor = new PeakEwma(FLOOR_TAU_NANOS, -Double.MAX_VALUE, nowNanos);
    }

    /** A request was sent at {@code nowNanos}, making {@code inFlight} in flight (itself included). */
    void started(int inFlight, long nowNanos) {
        int slot = slot(nowNanos);
        inFlightAtStart.set(slot, inFlight);
        startNanos.set(slot, nowNanos);
    }

    /** The answer to the request sent {@code latencyNanos} before {@code nowNanos} arrived. */
    void answered(long latencyNanos, long nowNanos) {
        negatedFloor.observe(-latencyNanos, nowNanos);
        long sentAt = nowNanos - latencyNanos;
        int slot = slot(sentAt);
        if (startNanos.get(slot) != sentAt || latencyNanos > floorNanos() * GOOD_LATENCY_FACTOR) {
            return;
        }
        int inFlight = inFlightAtStart.get(slot);
        if (inFlight > concurrency.get()) {
            concurrency.accumulateAndGet(inFlight, Math::max);
        }
    }

    private static int slot(long nanos) {
        long mixed = nanos * 0x9E3779B97F4A7C15L;  // Fibonacci hashing: nearby start times land in different slots
        return (int) (mixed >>> (64 - Integer.numberOfTrailingZeros(RECENT_STARTS)));
    }

    int value() {
        return concurrency.get();
    }

    double floorNanos() {
        return -negatedFloor.value();
    }
}
