package dev.gpuproxy.server.credit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.Hold;
import dev.gpuproxy.server.credit.service.InsufficientCreditsException;
import dev.gpuproxy.server.credit.service.LedgerAudit;
import dev.gpuproxy.server.credit.service.WalletView;
import dev.gpuproxy.server.testsupport.Api;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads moving money on one wallet end exactly where arithmetic says; run per database by the subclasses. */
abstract class CreditConcurrencyContract {

    private static final long CREDIT = Credits.MICROS_PER_CREDIT;

    @Inject
    CreditService credits;

    @Inject
    LedgerAudit audit;

    @Test
    void concurrentReserveAndSettleEndWithTheExactBalance() throws Exception {
        long user = Api.registerAndLogin("concurrent").id();
        credits.add(user, CreditService.Kind.GRANT, 100 * CREDIT, "start", key());
        int workers = 60;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Callable<Object> work = () -> {
                Hold hold = credits.reserve(user, 2 * CREDIT, "job", key());
                return credits.settle(user, hold.holdId(), 1_500_000);
            };
            done.add(pool.submit(work));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        WalletView wallet = credits.wallet(user);
        assertThat(wallet.creditsRemaining()).isEqualByComparingTo(new BigDecimal("10"));
        assertThat(wallet.creditsReserved()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(audit.check().consistent()).isTrue();
        // 1 grant + 60 x (reservation, refund, usage)
        assertThat(credits.ledger(user, null, 500)).hasSize(1 + 3 * workers);
    }

    @Test
    void concurrentReservesNeverOverspend() throws Exception {
        long user = Api.registerAndLogin("overspend").id();
        credits.add(user, CreditService.Kind.GRANT, 10 * CREDIT, "start", key());
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            done.add(pool.submit(() -> {
                try {
                    credits.reserve(user, CREDIT, "job", key());
                    granted.incrementAndGet();
                } catch (InsufficientCreditsException e) {
                    refused.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(granted.get()).isEqualTo(10);
        assertThat(refused.get()).isEqualTo(40);
        WalletView wallet = credits.wallet(user);
        assertThat(wallet.creditsRemaining()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(wallet.creditsReserved()).isEqualByComparingTo(new BigDecimal("10"));
        assertThat(audit.check().consistent()).isTrue();
    }

    @Test
    void replayingAnIdempotencyKeyChangesNothingAndReturnsTheFirstEntry() {
        long user = Api.registerAndLogin("replay").id();
        String key = key();
        var first = credits.add(user, CreditService.Kind.GRANT, 5 * CREDIT, "once", key);
        var second = credits.add(user, CreditService.Kind.GRANT, 5 * CREDIT, "once", key);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo(new BigDecimal("5"));

        Hold hold = credits.reserve(user, CREDIT, "job", key());
        var settled = credits.settle(user, hold.holdId(), 400_000);
        var again = credits.settle(user, hold.holdId(), 400_000);
        assertThat(again.replayed()).isTrue();
        assertThat(again.chargedMicros()).isEqualTo(settled.chargedMicros());
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo(new BigDecimal("4.6"));
    }

    private static String key() {
        return "test:" + UUID.randomUUID();
    }
}
