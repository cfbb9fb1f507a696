package dev.gpuproxy.server.gateway.proxy;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one hop-by-hop header policy of every proxied path (inference exchanges, the HTTP envelope, instance
 * pass-through over HTTP and WebSocket), both towards the backend and back to the client. A hop-by-hop header
 * describes one connection, so a proxy never passes it on (RFC 9110 section 7.6.1): the fixed list below, and every
 * header the message's own {@code Connection} header names. {@code Content-Length} is left out too, because the side
 * that sends the copy frames the body itself.
 */
public final class HopByHopHeaders {

    /**
     * RFC 9110 7.6.1's list with the proxy-authentication pair of RFC 2616 13.5.1, and the length we reframe, by the
     * length of the name: every proxied answer's headers pass through here, and most names are ruled out by their
     * length alone; the rest are compared ignoring case without lower-casing them.
     */
    private static final String[][] ALWAYS_BY_LENGTH = byLength("connection", "proxy-connection", "keep-alive", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length");

    /** The policy of a message whose {@code Connection} header names nothing beyond the fixed list: most of them. */
    private static final HopByHopHeaders FIXED = new HopByHopHeaders(null);

    /** Further names this message's {@code Connection} header (or the copying side) drops; null when none. */
    private final Set<String> alsoDropped;

    private HopByHopHeaders(Set<String> alsoDropped) {
        this.alsoDropped = alsoDropped;
    }

    /**
     * The policy for one message with {@code headers}: the fixed list, what its {@code Connection} header names, and
     * {@code alsoDropped} (headers the copying side sets itself, e.g. {@code Host}).
     */
    public static HopByHopHeaders of(MultiMap headers, String... alsoDropped) {
        Set<String> extra = null;
        if (headers.contains("Connection")) {
            for (String connection : headers.getAll("Connection")) {
                for (String token : connection.split(",")) {
                    String name = token.strip();
                    if (!name.isEmpty() && !always(name)) {
                        extra = add(extra, name);
                    }
                }
            }
        }
        for (String name : alsoDropped) {
            extra = add(extra, name);
        }
        return extra == null ? FIXED : new HopByHopHeaders(extra);
    }

    public boolean isHopByHop(String name) {
        return always(name) || alsoDropped != null && alsoDropped.contains(name);
    }

    private static boolean always(String name) {
        if (name.length() >= ALWAYS_BY_LENGTH.length) {
            return false;
        }
        for (String hopByHop : ALWAYS_BY_LENGTH[name.length()]) {
            if (hopByHop.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the end-to-end headers of {@code from} to {@code to}. */
    public static void copyEndToEnd(MultiMap from, MultiMap to, String... alsoDropped) {
        HopByHopHeaders policy = of(from, alsoDropped);
        from.forEach(header -> {
            if (!policy.isHopByHop(header.getKey())) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private static Set<String> add(Set<String> set, String name) {
        Set<String> names = set != null ? set : new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.add(name);
        return names;
    }

    private static String[][] byLength(String... names) {
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        String[][] byLength = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int size = length;
            byLength[length] = Arrays.stream(names).filter(name -> name.length() == size).toArray(String[]::new);
        }
        return byLength;
    }
}
