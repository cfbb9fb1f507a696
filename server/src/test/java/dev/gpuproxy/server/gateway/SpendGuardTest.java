package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.gateway.admission.SpendGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The credit check's admission rules, against a wallet reader a test controls (no database, no Quarkus). */
class SpendGuardTest {

    private static final Vertx VERTX = Vertx.vertx();
    private static final long CREDIT = 1_000_000;

    @AfterAll
    static void close() {
        VERTX.close();
    }

    /** A wallet whose reads the test counts and can hold up. */
    static final class Wallet implements SpendGuard.WalletReader {
        final AtomicLong spendable = new AtomicLong();
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public long spendableMicros(long userId) {
            reads.incrementAndGet();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return spendable.get();
        }
    }

    private static long await(Future<Long> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** True when the hold was refused for lack of credits (a refusal waits for a fresh read first). */
    private static boolean refused(Future<Long> future) throws Exception {
        try {
            await(future);
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof SpendGuard.InsufficientCredits;
        }
    }

    @Test
    void concurrentHoldsNeverTakeMoreThanTheWalletHas() throws Exception {
        Wallet wallet = new Wallet();
        wallet.spendable.set(CREDIT);
        SpendGuard guard = new SpendGuard(wallet, user -> 0, VERTX, Duration.ofMinutes(1));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(threads.submit(() -> {
                try {
                    await(guard.hold(7, 30_000));
                    return true;
                } catch (Exception refused) {
                    return false;
                }
            }));
        }
        int admitted = 0;
        for (var result : results) {
            admitted += result.get() ? 1 : 0;
        }
        threads.shutdown();
        assertThat(admitted).isEqualTo(33); // 33 x 0.03 = 0.99 fits in 1 credit, a 34th does not
    }

    @Test
    void manyFirstRequestsShareOneWalletReadAndLaterOnesNeverWaitForIt() throws Exception {
        Wallet wallet = new Wallet();
        wallet.spendable.set(10 * CREDIT);
        wallet.gate = new CountDownLatch(1);
        SpendGuard guard = new SpendGuard(wallet, user -> 0, VERTX, Duration.ofMillis(50));
        List<Future<Long>> first = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(guard.hold(9, 1000));
        }
        wallet.gate.countDown();
        for (Future<Long> hold : first) {
            assertThat(await(hold)).isEqualTo(1000);
        }
        assertThat(wallet.reads.get()).isEqualTo(1);

        // Stale now, and the database hangs: requests are still answered from the last read, and only one re-read
        // is in flight however many requests arrive.
        Thread.sleep(100);
        wallet.gate = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            assertThat(guard.hold(9, 1000).isComplete()).isTrue();
        }
        Thread.sleep(100);
        assertThat(wallet.reads.get()).isEqualTo(2);
        wallet.gate.countDown();
    }

    @Test
    void aReReadDoesNotForgetUsageThatIsNotInTheWalletYet() throws Exception {
        Wallet wallet = new Wallet();
        wallet.spendable.set(CREDIT);
        AtomicLong unwritten = new AtomicLong();
        SpendGuard guard = new SpendGuard(wallet, user -> unwritten.get(), VERTX, Duration.ofMillis(20));
        long held = await(guard.hold(3, 800_000));
        // The request cost what it held; the meter has it in memory, the wallet in the database does not yet.
        unwritten.set(800_000);
        guard.complete(3, held, 800_000);
        // The refusal re-reads the (unchanged) wallet, and still refuses.
        assertThat(refused(guard.hold(3, 300_000))).as("only 0.2 credits are left").isTrue();
        assertThat(wallet.reads.get()).isEqualTo(2);
        assertThat(await(guard.hold(3, 200_000))).isEqualTo(200_000);
    }

    @Test
    void aHoldWithoutAFixedSizeTakesWhatIsLeftUpToItsMaximum() throws Exception {
        Wallet wallet = new Wallet();
        wallet.spendable.set(CREDIT);
        AtomicLong unwritten = new AtomicLong();
        SpendGuard guard = new SpendGuard(wallet, user -> unwritten.get(), VERTX, Duration.ofMinutes(1));
        assertThat(await(guard.hold(5, 100, 700_000))).isEqualTo(700_000);
        assertThat(await(guard.hold(5, 100, 700_000))).isEqualTo(300_000);
        assertThat(refused(guard.hold(5, 100, 700_000))).isTrue();
        // A request charged more than it held is charged its hold only: the floor stays.
        unwritten.set(300_000); // what the exchange meters: its cost clamped to its hold
        guard.complete(5, 300_000, 5 * CREDIT);
        assertThat(refused(guard.hold(5, 1))).isTrue();
    }

    @Test
    void aRefusalIsDecidedOnAFreshReadSoATopUpCountsAtOnce() throws Exception {
        Wallet wallet = new Wallet();
        wallet.spendable.set(100);
        SpendGuard guard = new SpendGuard(wallet, user -> 0, VERTX, Duration.ofMinutes(1));
        assertThat(await(guard.hold(6, 100))).isEqualTo(100);
        wallet.spendable.set(CREDIT); // topped up; the cached read is a minute from stale
        assertThat(await(guard.hold(6, 500_000))).isEqualTo(500_000);
    }
}
