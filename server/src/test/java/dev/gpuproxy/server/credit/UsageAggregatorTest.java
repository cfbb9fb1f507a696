package dev.gpuproxy.server.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.credit.service.UsageAggregator;
import dev.gpuproxy.server.credit.service.UsageBatch;
import dev.gpuproxy.server.credit.service.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UsageAggregatorTest {

    @Test
    void concurrentRecordingAndDrainingLosesAndDuplicatesNothing() throws Exception {
        UsageAggregator aggregator = new UsageAggregator();
        List<UsageBatch> written = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    aggregator.record(new UsageEvent(7, "c", "ip", 1, 2, 3, 0, 5, Instant.now()));
                }
            });
        }
        for (int i = 0; i < 50; i++) {
            aggregator.drainTo(written::add);
            Thread.sleep(1);
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        aggregator.drainTo(written::add);

        assertThat(written.stream().mapToLong(UsageBatch::requests).sum()).isEqualTo(40_000);
        assertThat(written.stream().mapToLong(UsageBatch::creditsMicros).sum()).isEqualTo(200_000);
        assertThat(written.stream().map(UsageBatch::batchKey).distinct().count()).isEqualTo(written.size());
    }

    @Test
    void aFailedWriteIsRetriedUnderTheSameKeyAndUnchanged() {
        UsageAggregator aggregator = new UsageAggregator();
        aggregator.record(new UsageEvent(1, "c", "ip", 2, 0, 0, 0, 10, Instant.now()));
        List<String> attempted = new ArrayList<>();
        assertThatThrownBy(() -> aggregator.drainTo(batch -> {
            attempted.add(batch.batchKey());
            throw new IllegalStateException("connection lost after the commit");
        })).isInstanceOf(IllegalStateException.class);
        // Usage recorded meanwhile goes into a batch of its own: the retried one must stay exactly as first sent.
        aggregator.record(new UsageEvent(1, "c", "ip", 1, 0, 0, 0, 5, Instant.now()));

        List<UsageBatch> written = new ArrayList<>();
        aggregator.drainTo(written::add);
        assertThat(written).hasSize(2);
        assertThat(written.get(0).batchKey()).isEqualTo(attempted.get(0));
        assertThat(written.get(0).requests()).isEqualTo(2);
        assertThat(written.get(0).creditsMicros()).isEqualTo(10);
        assertThat(written.get(1).batchKey()).isNotEqualTo(attempted.get(0));
        assertThat(written.get(1).creditsMicros()).isEqualTo(5);
        assertThat(aggregator.isEmpty()).isTrue();
    }
}
