package dev.gpuproxy.lb;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import java.util.*;

/**
 * Prints the simulation table of LOADBALANCING.md: four backends, one ten times slower, each serving eight requests
 * at full speed and sharing beyond that, 500 requests per second for 40 virtual seconds. Deterministic (virtual time).
 * Run: {@code java -cp server/target/classes:server/target/test-classes dev.gpuproxy.server.lb.BalancingSimulationReport}
 */
public final class BalancingSimulationReport {
    record Completion(long at, Backend b, long start) {}
    public static void main(String[] args) {
        long MS = 1_000_000L;
        System.out.println("| strategy | share to slow backend | mean latency ms | p99 latency ms |");
        System.out.println("|---|---|---|---|");
        for (String name : Strategy.NAMES) {
            long start = 1_000_000_000_000L;
            Pool pool = new Pool(1, "sim", null, List.of(), Strategy.named(name));
            Backend slow = new Backend(0, "slow", "openai", 1, start);
            pool.add(slow);
            for (int i = 1; i <= 3; i++) pool.add(new Backend(i, "fast" + i, "openai", 1, start));
            PriorityQueue<Completion> running = new PriorityQueue<>(Comparator.comparingLong(Completion::at));
            long now = start; int toSlow = 0; int n = 20000; long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                now += 2 * MS;
                while (!running.isEmpty() && running.peek().at() <= now) {
                    Completion c = running.poll(); c.b().succeeded(c.at() - c.start(), c.at());
                }
                Backend b = pool.pick(now);
                // service time grows with load: each backend serves 8 requests at full speed, then shares.
                long base = b == slow ? 200 * MS : 20 * MS;
                long service = (long) (base * Math.max(1.0, (b.inFlight() + 1) / 8.0));
                b.start(now);
                running.add(new Completion(now + service, b, now));
                lat[i] = service;
                if (b == slow) toSlow++;
            }
            Arrays.sort(lat);
            double mean = Arrays.stream(lat).average().orElse(0) / MS;
            System.out.printf("| %s | %.1f%% | %.1f | %d |%n", name, 100.0 * toSlow / n, mean, lat[(int) (n * 0.99)] / MS);
        }
    }
}
