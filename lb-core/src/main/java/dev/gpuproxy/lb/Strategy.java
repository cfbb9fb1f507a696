package dev.gpuproxy.lb;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a pool chooses the backend for the next request. Implementations are lock-free, allocate nothing per pick and
 * are O(1) in pool size (small pools are scanned; a scan of at most {@link PoolSnapshot#SCAN_LIMIT} is constant work).
 * Ejected backends are skipped unless every backend is ejected, in which case all are candidates again (better a
 * likely failure than a certain one).
 */
public interface Strategy {

    /** The API name ({@code round_robin}, ...). */
    String apiName();

    /**
     * The chosen backend, or null when the pool is empty. {@code exclude} (may be null) is skipped if possible, and so
     * are backends known not to serve {@code model} (may be null) and backends whose keys are all spent.
     */
    Backend pick(PoolSnapshot pool, long nowNanos, Backend exclude, String model);

    List<String> NAMES = List.of("round_robin", "equal_weighted", "weighted_round_robin", "least_connections",
            "least_response_time", "cost_per_token");

    static Strategy named(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "round_robin" -> Strategies.ROUND_ROBIN;
            case "equal_weighted" -> Strategies.EQUAL_WEIGHTED;
            case "weighted_round_robin" -> Strategies.WEIGHTED_ROUND_ROBIN;
            case "least_connections" -> Strategies.LEAST_CONNECTIONS;
            case "least_response_time" -> Strategies.LEAST_RESPONSE_TIME;
            case "cost_per_token" -> Strategies.COST_PER_TOKEN;
            default -> throw new UnknownStrategyException(name);
        };
    }

    /** Thrown for a strategy name that does not exist; the message lists the valid ones. */
    final class UnknownStrategyException extends IllegalArgumentException {
        public UnknownStrategyException(String name) {
            super("Unknown strategy '" + name + "'; valid strategies: " + String.join(", ", NAMES));
        }
    }

    /**
     * {@code cost_per_token} that prefers backends whose latency is within {@code maxLatencyNanos} (0: no bound).
     */
    static Strategy costPerToken(long maxLatencyNanos) {
        return maxLatencyNanos <= 0 ? Strategies.COST_PER_TOKEN : new Strategies.CostPerToken(maxLatencyNanos);
    }

    /** Used when balancing is switched off (LB_ENABLED=false): the first usable backend, others only on failure. */
    static Strategy firstAvailable() {
        return Strategies.FIRST_AVAILABLE;
    }

    static String describeAll() {
        return Arrays.stream(NAMES.toArray(String[]::new)).collect(Collectors.joining(", "));
    }
}
