package dev.gpuproxy.lb;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable view of a pool's backends (replaced as a whole when backends change) with the precomputed smooth
 * weighted round-robin schedule, and the shared cursor strategies advance.
 */
public final class PoolSnapshot {

    /** Pools up to this size are scanned in full; larger ones use power-of-two-choices. */
    public static final int SCAN_LIMIT = 8;
    private static final int MAX_SCHEDULE = 1024;

    private final Backend[] backends;
    private final int[] schedule;
    final AtomicLong cursor;

    public PoolSnapshot(Backend[] backends, AtomicLong cursor) {
        this.backends = backends.clone();
        this.cursor = cursor;
        this.schedule = smoothWeightedSchedule(this.backends);
    }

    public int size() {
        return backends.length;
    }

    public Backend get(int index) {
        return backends[index];
    }

    int scheduleLength() {
        return schedule.length;
    }

    int scheduled(int slot) {
        return schedule[slot];
    }

    /** True when at least one backend other than {@code except} is not ejected. */
    public boolean hasHealthyOtherThan(Backend except, long nowNanos) {
        for (Backend b : backends) {
            if (b != except && !b.isEjected(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /**
     * nginx's smooth weighted round robin, run once here over integer weights (tenths), so that picks are one array
     * read: each backend appears in proportion to its weight, interleaved rather than in bursts.
     */
    static int[] smoothWeightedSchedule(Backend[] backends) {
        int n = backends.length;
        if (n == 0) {
            return new int[0];
        }
        int[] weights = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.max(1, (int) Math.round(backends[i].weight() * 10));
        }
        int divisor = weights[0];
        for (int w : weights) {
            divisor = gcd(divisor, w);
        }
        for (int i = 0; i < n; i++) {
            weights[i] /= divisor;
            total += weights[i];
        }
        if (total > MAX_SCHEDULE) {
            double scale = (double) MAX_SCHEDULE / total;
            total = 0;
            for (int i = 0; i < n; i++) {
                weights[i] = Math.max(1, (int) Math.round(weights[i] * scale));
                total += weights[i];
            }
        }
        int[] schedule = new int[total];
        int[] current = new int[n];
        for (int slot = 0; slot < total; slot++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            schedule[slot] = best;
        }
        return schedule;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
