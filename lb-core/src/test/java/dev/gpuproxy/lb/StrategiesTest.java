package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.FailureKind;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.lb.Weights;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each strategy's choices on constructed state: ties, one backend, ejected and all-ejected pools. */
class StrategiesTest {

    private static final long NOW = 1_000_000_000_000L;

    private static Pool pool(String strategy, Backend... backends) {
        Pool pool = new Pool(1, "p", null, List.of(), Strategy.named(strategy));
        for (Backend b : backends) {
            pool.add(b);
        }
        return pool;
    }

    private static Backend backend(long id) {
        return backend(id, 1.0);
    }

    private static Backend backend(long id, double weight) {
        return new Backend(id, "http://b" + id, "openai", weight, NOW);
    }

    private static Map<Long, Integer> counts(Pool pool, int picks) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(pool.pick(NOW).id(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinVisitsEveryBackendInTurn() {
        Pool pool = pool("round_robin", backend(1), backend(2), backend(3));
        assertThat(counts(pool, 300)).containsEntry(1L, 100).containsEntry(2L, 100).containsEntry(3L, 100);
    }

    @Test
    void weightedRoundRobinFollowsWeightsSmoothly() {
        Pool pool = pool("weighted_round_robin", backend(1, 3.0), backend(2, 1.5), backend(3, 1.5));
        assertThat(counts(pool, 600)).containsEntry(1L, 300).containsEntry(2L, 150).containsEntry(3L, 150);
        // Smooth: the heavy backend is never picked three times in a row.
        int run = 0;
        int longest = 0;
        for (int i = 0; i < 60; i++) {
            run = pool.pick(NOW).id() == 1 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        assertThat(longest).isLessThanOrEqualTo(2);
    }

    @Test
    void equalWeightedSendsToTheBackendWithFewestRequests() {
        Backend busy = backend(1);
        Backend idle = backend(2);
        for (int i = 0; i < 5; i++) {
            busy.start(NOW);
            busy.succeeded(1_000_000, NOW);
        }
        Pool pool = pool("equal_weighted", busy, idle);
        assertThat(pool.pick(NOW)).isSameAs(idle);
    }

    @Test
    void leastConnectionsPrefersFewestInFlightAndSpreadsTies() {
        Backend loaded = backend(1);
        loaded.start(NOW);
        loaded.start(NOW);
        Backend a = backend(2);
        Backend b = backend(3);
        Pool pool = pool("least_connections", loaded, a, b);
        Map<Long, Integer> picks = counts(pool, 2_000);
        assertThat(picks).doesNotContainKey(1L);
        // Ties are broken at random: 1000 expected, and 800..1200 is more than nine standard deviations wide.
        assertThat(picks.get(2L)).isBetween(800, 1200);
    }

    @Test
    void leastResponseTimeWeighsLatencyByLoad() {
        Backend slow = backend(1);
        Backend fast = backend(2);
        slow.start(NOW);
        slow.succeeded(500_000_000, NOW);
        fast.start(NOW);
        fast.succeeded(50_000_000, NOW);
        Pool pool = pool("least_response_time", slow, fast);
        assertThat(pool.pick(NOW)).isSameAs(fast);
        // Fast but with 20 requests in flight scores worse than slow and idle: 50 ms x 21 > 500 ms x 1.
        for (int i = 0; i < 20; i++) {
            fast.start(NOW);
        }
        assertThat(pool.pick(NOW)).isSameAs(slow);
    }

    @Test
    void everyStrategyUsesTheOnlyBackendAndReturnsNullForAnEmptyPool() {
        for (String name : Strategy.NAMES) {
            Backend only = backend(7);
            assertThat(pool(name, only).pick(NOW)).as(name).isSameAs(only);
            assertThat(pool(name).pick(NOW)).as(name).isNull();
        }
    }

    @Test
    void ejectedBackendsAreSkippedUntilAllAreEjected() {
        for (String name : Strategy.NAMES) {
            Backend bad = backend(1);
            Backend good = backend(2);
            Pool pool = pool(name, bad, good);
            for (int i = 0; i < 5; i++) {
                bad.start(NOW);
                bad.failed(FailureKind.SERVER_ERROR, 1_000_000, NOW, true);
            }
            assertThat(bad.isEjected(NOW)).as(name).isTrue();
            assertThat(counts(pool, 20)).as(name).containsOnlyKeys(2L);
        }
    }

    @Test
    void theLastHealthyBackendIsNeverEjected() {
        Backend last = backend(1);
        for (int i = 0; i < 10; i++) {
            last.start(NOW);
            last.failed(FailureKind.CONNECT, 1_000_000, NOW, false);
        }
        assertThat(last.isEjected(NOW)).isFalse();
    }

    @Test
    void ejectionGrowsWithRepeatsUpToFiveMinutesAndSuccessReadmits() {
        Backend b = backend(1);
        long now = NOW;
        long[] expected = {30, 60, 90};
        for (long seconds : expected) {
            for (int i = 0; i < 5; i++) {
                b.start(now);
                b.failed(FailureKind.SERVER_ERROR, 1, now, true);
            }
            assertThat(b.ejectedUntilNanos() - now).isEqualTo(seconds * 1_000_000_000L);
            now = b.ejectedUntilNanos() + 1;
        }
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 5; i++) {
                b.start(now);
                b.failed(FailureKind.SERVER_ERROR, 1, now, true);
            }
            assertThat(b.ejectedUntilNanos() - now).isLessThanOrEqualTo(300_000_000_000L);
            now = b.ejectedUntilNanos() + 1;
        }
        b.start(now);
        b.succeeded(1_000_000, now);
        assertThat(b.isEjected(now)).isFalse();
        assertThat(b.ejections()).isZero();
    }

    @Test
    void clientErrorsAndRateLimitsNeverEject() {
        Backend b = backend(1);
        for (int i = 0; i < 20; i++) {
            b.start(NOW);
            b.failed(i % 2 == 0 ? FailureKind.CLIENT_ERROR : FailureKind.RATE_LIMITED, 1, NOW, true);
        }
        assertThat(b.isEjected(NOW)).isFalse();
        assertThat(b.inFlight()).isZero();
    }

    @Test
    void pickOtherAvoidsTheFailedBackend() {
        for (String name : Strategy.NAMES) {
            Backend a = backend(1);
            Backend b = backend(2);
            Pool pool = pool(name, a, b);
            for (int i = 0; i < 10; i++) {
                assertThat(pool.pickOther(a, NOW)).as(name).isSameAs(b);
            }
        }
    }

    @Test
    void largePoolsUsePowerOfTwoChoicesAndStillAvoidTheWorst() {
        Backend[] backends = new Backend[64];
        for (int i = 0; i < 64; i++) {
            backends[i] = backend(i);
        }
        for (int i = 0; i < 100; i++) {
            backends[0].start(NOW);
        }
        Pool pool = pool("least_connections", backends);
        assertThat(counts(pool, 2_000).getOrDefault(0L, 0)).isZero();
    }

    @Test
    void changingStrategyKeepsMeasuredState() {
        Backend b = backend(1);
        b.start(NOW);
        b.succeeded(123_000_000, NOW);
        Pool pool = pool("round_robin", b);
        pool.strategy(Strategy.named("least_response_time"));
        assertThat(pool.backends().get(0).latencyNanos()).isEqualTo(123_000_000);
        assertThat(pool.backends().get(0).requests()).isEqualTo(1);
    }

    @Test
    void unknownStrategyNamesTheValidOnes() {
        assertThatThrownBy(() -> Strategy.named("fastest"))
                .hasMessageContaining("fastest")
                .hasMessageContaining("least_response_time")
                .hasMessageContaining("weighted_round_robin");
    }

    @Test
    void defaultWeightsFollowTheProduct() {
        assertThat(Weights.fromHardware(80, new BigDecimal("2.5"))).isEqualTo(3.0);
        assertThat(Weights.fromHardware(48, new BigDecimal("1.0"))).isEqualTo(2.0);
        assertThat(Weights.fromHardware(24, new BigDecimal("0.40"))).isEqualTo(1.5 * 1.2);
        assertThat(Weights.fromHardware(16, null)).isEqualTo(1.0);
    }
}
