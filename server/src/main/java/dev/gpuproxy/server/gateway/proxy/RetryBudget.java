package dev.gpuproxy.server.gateway.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps failover from multiplying load when backends fail together: every request deposits {@code ratio} of a retry
 * and a retry spends a whole one, so retries add at most that fraction of traffic (plus a small reserve so that a
 * quiet server can still fail over).
 */
public final class RetryBudget {

    private static final long SCALE = 1000;
    private static final long RESERVE = 10 * SCALE;
    private static final long CAP = 1000 * SCALE;

    private final long deposit;
    private final AtomicLong balance = new AtomicLong(RESERVE);

    RetryBudget(double ratio) {
        this.deposit = Math.max(1, Math.round(ratio * SCALE));
    }

    public void onRequest() {
        balance.getAndUpdate(b -> Math.min(CAP, b + deposit));
    }

    public boolean tryRetry() {
        while (true) {
            long current = balance.get();
            if (current < SCALE) {
                return false;
            }
            if (balance.compareAndSet(current, current - SCALE)) {
                return true;
            }
        }
    }
}
