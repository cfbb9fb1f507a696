package dev.gpuproxy.server.stream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a WebSocket client can subscribe to; each carries only what its user may see. */
public enum Topic {
    /** State changes of the user's GPU instances. */
    INSTANCES,
    /** Progress of the user's reservations (opened, instances joining, active, ended). */
    RESERVATIONS,
    /** Every change of the user's credit balance. */
    CREDITS,
    /** Periodic snapshots of the pools the user can route to (in-flight, latency, errors, ejections). */
    LOADS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Topic> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
