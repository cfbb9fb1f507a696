package dev.gpuproxy.server.credit.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A flush returns only when what was recorded before it is written, even if another flush took it first. */
class UsageMeterFlushTest {

    @Test
    void aFlushWaitsForTheFlushThatTookItsEvents() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UsageWriter slowWriter = new UsageWriter(null, null) {
            @Override
            public void write(UsageBatch batch) {
                writing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        QuotaService noQuotas = new QuotaService(null, Clock.systemUTC()) {
            @Override
            void count(UsageEvent event) {
            }
        };
        UsageMeter meter = new UsageMeter(slowWriter, noQuotas);
        meter.record(new UsageEvent(7, "key", "127.0.0.1", 1, 10, 20, 0, 500, Instant.now()));

        CompletableFuture<Void> scheduled = CompletableFuture.runAsync(meter::flush);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        // The scheduled flush holds the events and has not committed them: a reader's flush must not return yet.
        CompletableFuture<Void> reader = CompletableFuture.runAsync(meter::flush);
        Thread.sleep(300);
        assertThat(reader).isNotDone();
        assertThat(meter.unwrittenMicros(7)).isEqualTo(500);

        release.countDown();
        reader.get(10, TimeUnit.SECONDS);
        scheduled.get(10, TimeUnit.SECONDS);
        assertThat(meter.unwrittenMicros(7)).isZero();
    }
}
