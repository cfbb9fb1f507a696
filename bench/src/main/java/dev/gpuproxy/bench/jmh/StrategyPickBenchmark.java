package dev.gpuproxy.bench.jmh;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendSpec;
import dev.gpuproxy.lb.PoolSnapshot;
import dev.gpuproxy.lb.Strategy;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Selection cost: one {@code Strategy.pick} of each strategy on pools of 2, 16 and 256 backends, the way the gateway
 * calls it (with the request's model). Backends have mixed weights (GPU sizes and prices) and live state: some
 * requests in flight, different latencies, and one ejected backend, so the scans and comparisons are real work.
 * Run with {@code -prof gc} for allocations per pick.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StrategyPickBenchmark {

    @Param({"round_robin", "equal_weighted", "weighted_round_robin", "least_connections", "least_response_time"})
    public String strategy;

    @Param({"2", "16", "256"})
    public int backends;

    private Strategy chosen;
    private PoolSnapshot pool;
    private long now;

    @Setup
    public void setUp() {
        chosen = Strategy.named(strategy);
        now = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        int[] vram = {24, 48, 80};
        Backend[] list = new Backend[backends];
        for (int i = 0; i < backends; i++) {
            BackendSpec spec = new BackendSpec(i + 1, "openai", "http://10.0.0." + (i % 250) + ":8000/v1", List.of(),
                    null, null, "A100", vram[i % vram.length], BigDecimal.valueOf(0.5 + (i % 4) * 0.4), null, null,
                    "api");
            Backend b = new Backend(spec, now);
            // A latency history and some requests still in flight.
            for (int r = 0; r < 4; r++) {
                b.start(now);
                b.succeeded((5 + random.nextInt(200)) * 1_000_000L, now);
            }
            for (int r = random.nextInt(8); r > 0; r--) {
                b.start(now);
            }
            list[i] = b;
        }
        if (backends > 2) {
            // One ejected backend: skipped by every strategy.
            for (int r = 0; r < 5; r++) {
                list[1].start(now);
                list[1].failed(dev.gpuproxy.lb.FailureKind.SERVER_ERROR, 1_000_000, now, true);
            }
        }
        pool = new PoolSnapshot(list, new AtomicLong());
    }

    @Benchmark
    public Backend pick() {
        return chosen.pick(pool, now, null, "llama-3-8b");
    }
}
