package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import java.util.ArrayDeque;
import java.util.Arrays;
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

    /** What one run of {@link #batchingUpstreams} measured. */
    private record BatchingRun(double slowedShare, long p99Nanos) {}

    /**
     * The skewed scenario of {@code make bench} in virtual time: six upstreams of 20, 20, 30, 30, 40 and 40 ms that
     * each serve four requests at once and queue the rest in arrival order (like a GPU server's batch), 400 requests
     * per second; after 4 s the first becomes five times slower (100 ms). Latency counts from arrival to answer, over
     * the 10 s after the slowdown.
     */
    private static BatchingRun batchingUpstreams(String strategy) {
        long start = 1_000_000_000_000L;
        long[] serviceNanos = {20 * MS, 20 * MS, 30 * MS, 30 * MS, 40 * MS, 40 * MS};
        int slots = 4;
        long interval = 2_500_000L;  // 400 requests per second
        long slowdownAt = start + 4_000 * MS;
        long failureAt = start + 6_000 * MS;
        long end = slowdownAt + 10_000 * MS;
        Pool pool = new Pool(1, "sim", null, List.of(), Strategy.named(strategy));
        Upstream[] upstreams = new Upstream[serviceNanos.length];
        for (int i = 0; i < upstreams.length; i++) {
            upstreams[i] = new Upstream(new Backend(i, "u" + i, "openai", 1, start), serviceNanos[i], slots);
            pool.add(upstreams[i].backend);
        }
        PriorityQueue<Answer> answers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        long[] latencies = new long[(int) ((end - slowdownAt) / interval) + 1];
        int measured = 0;
        int toSlowed = 0;
        for (long now = start; now < end; now += interval) {
            if (now >= slowdownAt) {
                upstreams[0].serviceNanos = 100 * MS;
            }
            if (now == failureAt) {
                pool.remove(1);  // fails every request from now on: ejected, the gateway retries elsewhere
            }
            while (!answers.isEmpty() && answers.peek().at <= now) {
                Answer done = answers.poll();
                Upstream upstream = upstreams[(int) done.backend.id()];
                long latency = done.at - done.arrivedAt;
                done.backend.succeeded(latency, done.at);
                if (done.arrivedAt >= slowdownAt) {
                    latencies[measured++] = latency;
                }
                upstream.finished(done.at, answers);
            }
            Backend chosen = pool.pick(now);
            chosen.start(now);
            upstreams[(int) chosen.id()].arrive(now, answers);
            if (now >= slowdownAt && chosen == upstreams[0].backend) {
                toSlowed++;
            }
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        return new BatchingRun((double) toSlowed / ((end - slowdownAt) / interval), sorted[(int) (measured * 0.99)]);
    }

    private record Answer(long at, Backend backend, long arrivedAt) {}

    /** One upstream server: {@code slots} requests in service at once, the rest wait in arrival order. */
    private static final class Upstream {
        final Backend backend;
        final int slots;
        final ArrayDeque<Long> waiting = new ArrayDeque<>();
        long serviceNanos;
        int busy;

        Upstream(Backend backend, long serviceNanos, int slots) {
            this.backend = backend;
            this.serviceNanos = serviceNanos;
            this.slots = slots;
        }

        void arrive(long now, PriorityQueue<Answer> answers) {
            if (busy < slots) {
                busy++;
                answers.add(new Answer(now + serviceNanos, backend, now));
            } else {
                waiting.add(now);
            }
        }

        void finished(long now, PriorityQueue<Answer> answers) {
            Long next = waiting.poll();
            if (next == null) {
                busy--;
            } else {
                answers.add(new Answer(now + serviceNanos, backend, next));
            }
        }
    }

    @Test
    void leastResponseTimeFillsBatchingUpstreamsAndBeatsLeastConnections() {
        BatchingRun leastResponseTime = batchingUpstreams("least_response_time");
        BatchingRun leastConnections = batchingUpstreams("least_connections");
        // Counting every request in flight as queueing (the old score) left least_response_time level with
        // least_connections here (p99 100 ms each: the slowed upstream's latency, 2.1% of requests sent there).
        // Knowing that the upstreams serve several at once it fills their free slots instead (p99 57.5 ms).
        assertThat(leastResponseTime.p99Nanos()).isLessThanOrEqualTo((long) (leastConnections.p99Nanos() * 0.8));
        assertThat(leastResponseTime.slowedShare()).isLessThan(0.01);
    }
}
