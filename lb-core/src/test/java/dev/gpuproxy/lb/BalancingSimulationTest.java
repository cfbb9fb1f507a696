package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * A deterministic simulation in virtual time: four backends, one of them ten times slower (it serves requests
 * concurrently, so slowness shows as latency and piling in-flight requests). Requests arrive at a steady rate; each
 * completes after its backend's service time. Load-aware strategies must move traffic away from the slow backend.
 */
class BalancingSimulationTest {

    private static final long MS = 1_000_000L;

    private record Completion(long at, Backend backend, long startedAt) {}

    /** Share of requests the slow backend received. */
    private static double slowShare(String strategy) {
        long start = 1_000_000_000_000L;
        Backend slow = new Backend(0, "slow", "openai", 1, start);
        Pool pool = new Pool(1, "sim", null, List.of(), Strategy.named(strategy));
        pool.add(slow);
        for (int i = 1; i <= 3; i++) {
            pool.add(new Backend(i, "fast" + i, "openai", 1, start));
        }
        PriorityQueue<Completion> running = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        int toSlow = 0;
        int requests = 20_000;
        long now = start;
        for (int i = 0; i < requests; i++) {
            now += 2 * MS;  // 500 requests per second
            while (!running.isEmpty() && running.peek().at <= now) {
                Completion done = running.poll();
                done.backend.succeeded(done.at - done.startedAt, done.at);
            }
            Backend chosen = pool.pick(now);
            chosen.start(now);
            long serviceTime = chosen == slow ? 200 * MS : 20 * MS;
            running.add(new Completion(now + serviceTime, chosen, now));
            if (chosen == slow) {
                toSlow++;
            }
        }
        return (double) toSlow / requests;
    }

    @Test
    void roundRobinKeepsSendingAQuarterToTheSlowBackend() {
        assertThat(slowShare("round_robin")).isEqualTo(0.25);
    }

    @Test
    void leastResponseTimeMovesTrafficAwayFromTheSlowBackend() {
        assertThat(slowShare("least_response_time")).isLessThan(0.10);
    }

    @Test
    void leastConnectionsMovesTrafficAwayFromTheSlowBackend() {
        assertThat(slowShare("least_connections")).isLessThan(0.15);
    }
}
