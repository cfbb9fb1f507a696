package dev.gpuproxy.server.gateway;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one hop-by-hop header policy of every proxied path (inference exchanges, the HTTP envelope, instance
 * pass-through over HTTP and WebSocket), both towards the backend and back to the client. A hop-by-hop header
 * describes one connection, so a proxy never passes it on (RFC 9110 section 7.6.1): the fixed list below, and every
 * header the message's own {@code Connection} header names. {@code Content-Length} is left out too, because the side
 * that sends the copy frames the body itself.
 */
final class HopByHopHeaders {

    /** RFC 9110 7.6.1's list with the proxy-authentication pair of RFC 2616 13.5.1, and the length we reframe. */
    private static final Set<String> ALWAYS = Set.of("connection", "proxy-connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length");

    private final Set<String> dropped;

    private HopByHopHeaders(Set<String> dropped) {
        this.dropped = dropped;
    }

    /**
     * The policy for one message with {@code headers}: the fixed list, what its {@code Connection} header names, and
     * {@code alsoDropped} (headers the copying side sets itself, e.g. {@code Host}).
     */
    static HopByHopHeaders of(MultiMap headers, String... alsoDropped) {
        Set<String> dropped = new HashSet<>(ALWAYS);
        for (String connection : headers.getAll("Connection")) {
            for (String token : connection.split(",")) {
                if (!token.isBlank()) {
                    dropped.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String name : alsoDropped) {
            dropped.add(name.toLowerCase(Locale.ROOT));
        }
        return new HopByHopHeaders(dropped);
    }

    boolean isHopByHop(String name) {
        return dropped.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Adds the end-to-end headers of {@code from} to {@code to}. */
    static void copyEndToEnd(MultiMap from, MultiMap to, String... alsoDropped) {
        HopByHopHeaders policy = of(from, alsoDropped);
        from.forEach(header -> {
            if (!policy.isHopByHop(header.getKey())) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }
}
