package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cost_per_token: price per hour over measured output speed, the latency bound, and unmeasured backends. */
class CostPerTokenStrategyTest {

    private static final long NOW = 1_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private static Backend backend(long id, String pricePerHour) {
        return new Backend(new BackendSpec(id, "openai", "http://b" + id, List.of(), null, null, null, null,
                pricePerHour == null ? null : new BigDecimal(pricePerHour), null, null, "test"), NOW);
    }

    /** One answer of {@code tokens} output tokens that took {@code seconds}, with that latency. */
    private static void answered(Backend b, long tokens, double seconds) {
        b.start(NOW);
        long elapsed = (long) (seconds * SECOND);
        b.succeeded(elapsed, NOW);
        b.outputTokens(tokens, elapsed, NOW);
    }

    private static Pool pool(Strategy strategy, Backend... backends) {
        Pool pool = new Pool(1, "p", null, List.of(), strategy);
        for (Backend b : backends) {
            pool.add(b);
        }
        return pool;
    }

    @Test
    void picksTheLowestPricePerOutputTokenNotTheLowestPrice() {
        // 0.40 $/h at 50 tok/s = 2.22 $/M tokens; 0.60 $/h at 150 tok/s = 1.11 $/M tokens: the dearer GPU is cheaper.
        Backend cheapSlow = backend(1, "0.40");
        Backend dearFast = backend(2, "0.60");
        answered(cheapSlow, 100, 2.0);
        answered(dearFast, 300, 2.0);
        Pool pool = pool(Strategy.named("cost_per_token"), cheapSlow, dearFast);

        for (int i = 0; i < 20; i++) {
            assertThat(pool.pick(NOW)).isSameAs(dearFast);
        }
        assertThat(dearFast.costPerMillionTokens()).isCloseTo(0.60 / (150 * 3600) * 1e6, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLatencyBoundSendsTrafficToTheCheapestBackendWithinIt() {
        Backend cheapButSlowToAnswer = backend(1, "0.20");
        Backend dearer = backend(2, "0.80");
        answered(cheapButSlowToAnswer, 400, 8.0);   // 50 tok/s, 8 s per answer
        answered(dearer, 100, 1.0);                 // 100 tok/s, 1 s per answer
        Pool bounded = pool(Strategy.costPerToken(3 * SECOND), cheapButSlowToAnswer, dearer);
        Pool unbounded = pool(Strategy.named("cost_per_token"), cheapButSlowToAnswer, dearer);

        assertThat(bounded.pick(NOW)).isSameAs(dearer);
        assertThat(unbounded.pick(NOW)).isSameAs(cheapButSlowToAnswer);
    }

    @Test
    void whenEveryBackendIsOverTheBoundTheCheapestStillServes() {
        Backend a = backend(1, "0.30");
        Backend b = backend(2, "0.90");
        answered(a, 100, 5.0);
        answered(b, 100, 5.0);
        assertThat(pool(Strategy.costPerToken(SECOND), a, b).pick(NOW)).isSameAs(a);
    }

    @Test
    void anUnmeasuredBackendIsTriedOneRequestAtATime() {
        Backend measured = backend(1, "0.50");
        answered(measured, 100, 1.0);
        Backend fresh = backend(2, "0.50");
        Pool pool = pool(Strategy.named("cost_per_token"), measured, fresh);

        assertThat(pool.pick(NOW)).isSameAs(fresh);
        fresh.start(NOW);
        assertThat(pool.pick(NOW)).as("the new backend is being measured").isSameAs(measured);
    }

    @Test
    void isListedAmongTheStrategies() {
        assertThat(Strategy.NAMES).contains("cost_per_token");
        assertThat(Strategy.named("COST_PER_TOKEN").apiName()).isEqualTo("cost_per_token");
    }
}
