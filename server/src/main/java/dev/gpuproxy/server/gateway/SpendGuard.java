package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.WalletView;
import dev.gpuproxy.server.credit.service.Credits;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's credit check without a database call per request: each user's spendable credits (balance plus
 * overage cap) are cached and re-read every couple of seconds; requests in flight hold their estimate against it and
 * metered-but-unwritten usage is subtracted too. The ledger stays exact (usage is charged as measured); this only
 * decides admission. Across replicas, a user can overshoot by what other replicas admitted since the last re-read,
 * which the overage cap absorbs.
 */
@ApplicationScoped
public class SpendGuard {

    private static final Duration STALE_AFTER = Duration.ofSeconds(2);

    private final CreditService credits;
    private final Vertx vertx;
    private final Map<Long, Budget> budgets = new ConcurrentHashMap<>();

    SpendGuard(CreditService credits, Vertx vertx) {
        this.credits = credits;
        this.vertx = vertx;
    }

    static final class Budget {
        volatile long spendableMicros;
        volatile long loadedAtNanos;
        final AtomicLong heldMicros = new AtomicLong();
        /** Usage metered since the last load, not yet in the loaded balance. */
        final AtomicLong unwrittenMicros = new AtomicLong();
    }

    /** Holds {@code estimateMicros} for a request; fails with the available amount when it does not fit. */
    public Future<Long> hold(long userId, long estimateMicros) {
        Budget budget = budgets.get(userId);
        if (budget == null || System.nanoTime() - budget.loadedAtNanos > STALE_AFTER.toNanos()) {
            return vertx.executeBlocking(() -> load(userId), false).compose(b -> tryHold(b, estimateMicros));
        }
        return tryHold(budget, estimateMicros);
    }

    /** The request ended: release its hold and count what it actually cost until the next load. */
    public void complete(long userId, long heldMicros, long actualMicros) {
        Budget budget = budgets.get(userId);
        if (budget != null) {
            budget.heldMicros.addAndGet(-heldMicros);
            budget.unwrittenMicros.addAndGet(actualMicros);
        }
    }

    private Future<Long> tryHold(Budget budget, long estimate) {
        long available = budget.spendableMicros - budget.heldMicros.get() - budget.unwrittenMicros.get();
        if (estimate > available) {
            return Future.failedFuture(new InsufficientCredits(estimate, available));
        }
        budget.heldMicros.addAndGet(estimate);
        return Future.succeededFuture(estimate);
    }

    private Budget load(long userId) {
        WalletView wallet = credits.wallet(userId);
        long spendable = Credits.parse(wallet.creditsAvailable(), "credits_available");
        Budget budget = budgets.computeIfAbsent(userId, id -> new Budget());
        synchronized (budget) {
            budget.spendableMicros = spendable;
            // The wallet just read includes every usage batch written so far; what is still unwritten is the meter's.
            budget.unwrittenMicros.set(0);
            budget.loadedAtNanos = System.nanoTime();
        }
        return budget;
    }

    /** Drops budgets nobody used for a while, so memory follows active users only. */
    @Scheduled(every = "60s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void evictIdle() {
        long cutoff = System.nanoTime() - Duration.ofMinutes(5).toNanos();
        budgets.entrySet().removeIf(e -> e.getValue().loadedAtNanos < cutoff && e.getValue().heldMicros.get() == 0);
    }

    /** The request's estimate does not fit in what the caller can spend. */
    public static final class InsufficientCredits extends RuntimeException {
        final long neededMicros;
        final long availableMicros;

        InsufficientCredits(long needed, long available) {
            super("needs " + Credits.toDecimal(needed).toPlainString() + " credits, "
                    + Credits.toDecimal(Math.max(0, available)).toPlainString() + " available", null, false, false);
            this.neededMicros = needed;
            this.availableMicros = available;
        }
    }
}
