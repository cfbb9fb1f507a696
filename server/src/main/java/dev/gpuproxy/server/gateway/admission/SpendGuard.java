package dev.gpuproxy.server.gateway.admission;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.UsageMeter;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's credit check without a database call per request. Each user's spendable credits (balance plus overage
 * cap) are read once and re-read in the background when older than a couple of seconds (at most one read per user in
 * flight; requests meanwhile are checked against the last read, so a user once seen never waits for the database).
 * Admission is atomic: a request's hold is taken under the user's lock only when it fits in what is left after the
 * other holds and every charge not yet in the wallet read (metered usage still in memory included), and a request is
 * never charged more than it held. So on one replica the overage cap is a hard floor. Across replicas, each one sees
 * the others' spending only once it is written (within a second) and re-read.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class SpendGuard {

    private static final Duration STALE_AFTER = Duration.ofSeconds(2);
    private static final Duration IDLE_AFTER = Duration.ofMinutes(5);

    /** Reads a user's spendable micro-credits from the wallet (blocking; runs on a worker). */
    public interface WalletReader {
        long spendableMicros(long userId);
    }

    /** Micro-credits charged in memory but not yet in any wallet read (never blocks). */
    public interface UnwrittenUsage {
        long unwrittenMicros(long userId);
    }

    private final WalletReader wallets;
    private final UnwrittenUsage unwritten;
    private final Vertx vertx;
    private final long staleAfterNanos;
    private final Map<Long, Budget> budgets = new ConcurrentHashMap<>();

    @Inject
    public SpendGuard(CreditService credits, UsageMeter meter, Vertx vertx) {
        this(userId -> Credits.parse(credits.wallet(userId).creditsAvailable(), "credits_available"),
                meter::unwrittenMicros, vertx, STALE_AFTER);
    }

    public SpendGuard(WalletReader wallets, UnwrittenUsage unwritten, Vertx vertx, Duration staleAfter) {
        this.wallets = wallets;
        this.unwritten = unwritten;
        this.vertx = vertx;
        this.staleAfterNanos = staleAfter.toNanos();
    }

    /** One user's admission state; every field is guarded by the budget's own lock. */
    static final class Budget {
        /** Spendable at the last read, less what was unwritten then, plus {@link #chargedMicros} then. */
        long baseMicros;
        /** Every actual cost completed through this budget, ever; grows only. */
        long chargedMicros;
        long heldMicros;
        long loadedAtNanos;
        long lastUsedNanos;
        boolean loaded;
        boolean loading;
        /** Set when dropped from the map: whoever still holds it must look the user up again. */
        boolean evicted;
        /** Completes when the read in flight (or the last one) ends. */
        Promise<Void> nextRead = Promise.promise();

        long availableMicros() {
            return baseMicros - chargedMicros - heldMicros;
        }
    }

    /** Holds {@code micros} for a request; fails with {@link InsufficientCredits} when it does not fit. */
    public Future<Long> hold(long userId, long micros) {
        return hold(userId, micros, micros);
    }

    /**
     * Holds as much of {@code maxMicros} as is available, but at least {@code minMicros}; completes with the amount
     * held, or fails with {@link InsufficientCredits} when not even {@code minMicros} fits.
     */
    public Future<Long> hold(long userId, long minMicros, long maxMicros) {
        return hold(userId, minMicros, maxMicros, true);
    }

    private Future<Long> hold(long userId, long minMicros, long maxMicros, boolean mayWait) {
        while (true) {
            Budget budget = budgets.computeIfAbsent(userId, id -> new Budget());
            boolean startLoad;
            Future<Long> held;
            Future<Void> nextRead;
            synchronized (budget) {
                if (budget.evicted) {
                    continue;
                }
                long now = System.nanoTime();
                budget.lastUsedNanos = now;
                held = budget.loaded ? take(budget, minMicros, maxMicros) : null;
                // A refusal is decided on a fresh read, so a top-up counts at once; an admission never waits.
                boolean refused = held != null && held.failed() && mayWait;
                startLoad = !budget.loading && (!budget.loaded || refused
                        || now - budget.loadedAtNanos > staleAfterNanos);
                if (startLoad) {
                    budget.loading = true;
                    budget.nextRead = Promise.promise();
                }
                if (refused) {
                    held = null;
                }
                nextRead = budget.nextRead.future();
            }
            if (startLoad) {
                load(userId, budget);
            }
            if (held != null) {
                return held;
            }
            // Only a user's very first requests, and refusals, wait: all for the same read.
            return nextRead.transform(read -> read.succeeded() || budgetLoaded(budget)
                    ? hold(userId, minMicros, maxMicros, false) : Future.failedFuture(read.cause()));
        }
    }

    private static boolean budgetLoaded(Budget budget) {
        synchronized (budget) {
            return budget.loaded;
        }
    }

    /** The request ended: release its hold and count what it actually cost (at most what it held). */
    public void complete(long userId, long heldMicros, long actualMicros) {
        Budget budget = budgets.get(userId);
        if (budget == null) {
            return; // evicted while idle: the meter still reports the charge to the next read
        }
        synchronized (budget) {
            budget.heldMicros -= heldMicros;
            budget.chargedMicros += Math.min(actualMicros, heldMicros);
        }
    }

    /** Micro-credits held by {@code userId}'s requests in flight (0 when none); for tests and diagnostics. */
    public long heldMicros(long userId) {
        Budget budget = budgets.get(userId);
        if (budget == null) {
            return 0;
        }
        synchronized (budget) {
            return budget.heldMicros;
        }
    }

    private static Future<Long> take(Budget budget, long min, long max) {
        long available = budget.availableMicros();
        if (min > available) {
            return Future.failedFuture(new InsufficientCredits(min, available));
        }
        long held = Math.min(max, available);
        budget.heldMicros += held;
        return Future.succeededFuture(held);
    }

    private void load(long userId, Budget budget) {
        // Charged first, then unwritten, then the wallet: a charge is then counted once or (until the next read)
        // twice, never zero times. See the class comment.
        long chargedBefore;
        Promise<Void> done;
        synchronized (budget) {
            chargedBefore = budget.chargedMicros;
            done = budget.nextRead; // replaced only by the next read, which cannot start before this one ends
        }
        long unwrittenBefore = unwritten.unwrittenMicros(userId);
        vertx.executeBlocking(() -> wallets.spendableMicros(userId), false).onComplete(read -> {
            boolean first;
            synchronized (budget) {
                first = !budget.loaded;
                budget.loading = false;
                if (read.succeeded()) {
                    budget.baseMicros = read.result() - unwrittenBefore + chargedBefore;
                    budget.loadedAtNanos = System.nanoTime();
                    budget.loaded = true;
                } else if (first) {
                    budget.evicted = true;
                }
            }
            if (read.failed()) {
                if (first) {
                    budgets.remove(userId, budget);
                } else {
                    Log.warnf("Wallet re-read for user %d failed, the last read stands: %s", userId,
                            read.cause().getMessage());
                }
            }
            done.handle(read.mapEmpty());
        });
    }

    /** Drops budgets nobody used for a while, so memory follows active users only. */
    @Scheduled(every = "60s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void evictIdle() {
        long cutoff = System.nanoTime() - IDLE_AFTER.toNanos();
        budgets.entrySet().removeIf(entry -> {
            Budget budget = entry.getValue();
            synchronized (budget) {
                if (budget.loaded && !budget.loading && budget.heldMicros == 0 && budget.lastUsedNanos < cutoff) {
                    budget.evicted = true;
                    return true;
                }
                return false;
            }
        });
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
