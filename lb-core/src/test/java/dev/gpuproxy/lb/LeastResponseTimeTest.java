package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** least_response_time weighs requests in flight against how many the backend was seen serving at once. */
class LeastResponseTimeTest {

    private static final long NOW = 1_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private static Backend backend(long id) {
        return new Backend(id, "http://b" + id, "openai", 1, NOW);
    }

    private static Pool pool(Backend... backends) {
        Pool pool = new Pool(1, "p", null, List.of(), Strategy.named("least_response_time"));
        for (Backend b : backends) {
            pool.add(b);
        }
        return pool;
    }

    /** {@code batch} requests sent together (1 ms apart), each answered after {@code latencyOfKth(k)}. */
    private static long sendTogether(Backend b, long from, int batch, java.util.function.IntToLongFunction latencyOfKth) {
        long[] sentAt = new long[batch];
        for (int k = 0; k < batch; k++) {
            sentAt[k] = from + k * MS;
            b.start(sentAt[k]);
        }
        long last = from;
        for (int k = 0; k < batch; k++) {
            long latency = latencyOfKth.applyAsLong(k + 1);
            b.succeeded(latency, sentAt[k] + latency);
            last = Math.max(last, sentAt[k] + latency);
        }
        return last;
    }

    private static void answer(Backend b, long latency, long at) {
        b.start(at - latency);
        b.succeeded(latency, at);
    }

    @Test
    void aFastBackendServingFourAtOnceWithThreeInFlightBeatsASlowedIdleOne() {
        Backend fast = backend(1);
        // Four sent together all answer in 30 ms: it serves four at once.
        long now = sendTogether(fast, NOW, 4, k -> 30 * MS);
        assertThat(fast.concurrency()).isEqualTo(4);
        Backend slowed = backend(2);
        answer(slowed, 100 * MS, now);
        for (int i = 0; i < 3; i++) {
            fast.start(now);
        }
        // Counting every request in flight as queueing scored fast 30 x (3 + 1) = 120 against slowed 100 x 1.
        assertThat(pool(fast, slowed).pick(now)).isSameAs(fast);
    }

    @Test
    void aBackendWhoseLatencyGrowsWithLoadIsNotCreditedWithConcurrency() {
        Backend saturated = backend(1);
        // Serves one at a time: the k-th of requests sent together waits for the k - 1 before it.
        long now = sendTogether(saturated, NOW, 4, k -> k * 30 * MS);
        assertThat(saturated.concurrency()).isEqualTo(1);
        Backend other = backend(2);
        answer(other, 100 * MS, now);
        saturated.start(now);
        // Its peak latency (120 ms) and the queue it has make it worse than the idle 100 ms backend.
        assertThat(pool(saturated, other).pick(now)).isSameAs(other);
    }

    @Test
    void beyondItsConcurrencyABackendsScoreGrowsWithItsQueue() {
        Backend fast = backend(1);
        long now = sendTogether(fast, NOW, 4, k -> 30 * MS);
        Backend slowed = backend(2);
        answer(slowed, 100 * MS, now);
        // 30 ms x (1 + (k + 1 - 4) / 4) passes 100 ms with k = 13 in flight (nine queued behind four slots).
        for (int i = 0; i < 13; i++) {
            fast.start(now);
        }
        assertThat(pool(fast, slowed).pick(now)).isSameAs(slowed);
    }

    @Test
    void queueFactorIsOneWhileASlotIsFree() {
        assertThat(Strategies.queueFactor(0, 1)).isEqualTo(1.0);
        assertThat(Strategies.queueFactor(3, 1)).isEqualTo(4.0);  // one at a time: the classic (in flight + 1)
        assertThat(Strategies.queueFactor(3, 4)).isEqualTo(1.0);
        assertThat(Strategies.queueFactor(7, 4)).isEqualTo(2.0);
    }

    @Test
    void anAnswerWhoseStartIsUnknownTeachesNothing() {
        Backend b = backend(1);
        for (int i = 0; i < 5; i++) {
            b.start(NOW);
        }
        // Latencies that match no recorded start time (e.g. measured by another clock).
        for (int i = 0; i < 5; i++) {
            b.succeeded(30 * MS + i, NOW + 40 * MS);
        }
        assertThat(b.concurrency()).isEqualTo(1);
    }
}
