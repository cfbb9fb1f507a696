package dev.gpuproxy.server.common.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RetiringLongMapTest {

    /**
     * What UsageMeter does with a tenant's unwritten credits: event loops add while a flush takes away what it saw and
     * retires the entry at zero. Whatever interleaving, what was added equals what was taken plus what is left.
     */
    @Test
    void additionsRacingWithTakingAndRetiringAreNeverLost() throws Exception {
        RetiringLongMap map = new RetiringLongMap();
        int threads = 4;
        int perThread = 200_000;
        long[] taken = new long[2];
        AtomicBoolean adding = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        Thread[] adders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int key = t % 2;
            adders[t] = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    map.accumulate(key, 3, Long::sum);
                }
            });
            adders[t].start();
        }
        Thread taker = new Thread(() -> {
            await(start);
            while (adding.get() || !map.isEmpty()) {
                for (int key = 0; key < 2; key++) {
                    long seen = map.get(key);
                    if (seen > 0) {
                        map.accumulate(key, seen, (value, committed) -> value - committed);
                        taken[key] += seen;
                    }
                    map.retire(key, 0);
                }
            }
        });
        taker.start();
        start.countDown();
        for (Thread adder : adders) {
            adder.join();
        }
        adding.set(false);
        taker.join(30_000);

        assertThat(taker.isAlive()).isFalse();
        for (int key = 0; key < 2; key++) {
            assertThat(taken[key] + map.get(key)).as("key %d", key).isEqualTo(2L * perThread * 3);
        }
        assertThat(map.isEmpty()).isTrue();
    }

    /** What ApiKeyUsageRecorder does with the latest second a key was used: the value never goes back. */
    @Test
    void aMaximumKeepsTheLatestValue() {
        RetiringLongMap map = new RetiringLongMap();
        map.accumulate(7, 100, Math::max);
        map.accumulate(7, 90, Math::max);
        map.accumulate(7, 100, Math::max);
        assertThat(map.get(7)).isEqualTo(100);
        map.accumulate(7, 101, Math::max);
        assertThat(map.get(7)).isEqualTo(101);
    }

    @Test
    void anEntryIsRetiredOnlyAtItsRestingValueAndAnUpdateAfterwardsStartsAFreshOne() {
        RetiringLongMap map = new RetiringLongMap();
        map.accumulate(1, 5, Long::sum);
        assertThat(map.retire(1, 0)).isFalse();
        assertThat(map.get(1)).isEqualTo(5);
        assertThat(map.retire(1, 5)).isTrue();
        assertThat(map.get(1)).isZero();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.retire(1, 0)).as("nothing to retire").isFalse();

        map.accumulate(1, 2, Long::sum);
        assertThat(map.get(1)).isEqualTo(2);
    }

    @Test
    void forEachShowsEveryLiveEntry() {
        RetiringLongMap map = new RetiringLongMap();
        map.accumulate(1, 10, Long::sum);
        map.accumulate(2, 20, Long::sum);
        map.accumulate(3, 30, Long::sum);
        map.retire(2, 20);
        Map<Long, Long> seen = new HashMap<>();
        map.forEach(seen::put);
        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(1L, 10L, 3L, 30L));
    }

    @Test
    void theRetiredMarkCannotBeStored() {
        RetiringLongMap map = new RetiringLongMap();
        assertThatThrownBy(() -> map.accumulate(1, Long.MIN_VALUE, Long::sum)).isInstanceOf(ArithmeticException.class);
        assertThat(map.get(1)).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
