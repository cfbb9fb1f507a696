package dev.gpuproxy.cli.common;

import java.util.List;

/**
 * The load-balancing strategies gpuproxyd knows, so both tools refuse a misspelt one as a usage error before any
 * request (the server checks again and lists the same names).
 */
public final class LbStrategies {

    public static final List<String> NAMES = List.of("round_robin", "equal_weighted", "weighted_round_robin",
            "least_connections", "least_response_time", "cost_per_token");

    private LbStrategies() {
    }

    /** Null when {@code name} is valid, else a message naming the option and the choices. */
    public static String problem(String option, String name) {
        return NAMES.contains(name) ? null
                : option + " must be one of " + String.join(", ", NAMES) + " (got '" + name + "')";
    }
}
