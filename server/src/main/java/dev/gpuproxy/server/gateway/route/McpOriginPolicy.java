package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.config.ServerConfig;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests may reach {@code /mcp}, against DNS rebinding (the MCP transport's security advice): a page on
 * {@code evil.example} whose name the attacker re-points at this server sends {@code Host: evil.example} and
 * {@code Origin: http://evil.example}, which agree with each other, so the Host itself must be one of ours. With
 * ALLOWED_HOSTS set, every request's Host must be listed. Without it, a browser request (one with an Origin) is
 * accepted only from an origin listed in CORS_ORIGINS, or from the server's own origin when the Host is an address or
 * {@code localhost}, names no attacker can re-point; clients that are not browsers send no Origin and are not affected.
 */
public final class McpOriginPolicy {

    /** A refusal, with a code and a message for the caller. */
    public record Refusal(String code, String message) {}

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "localhost.");

    private final List<String> allowedOrigins;
    private final Optional<Set<String>> allowedHosts;

    public McpOriginPolicy(ServerConfig server) {
        this.allowedOrigins = list(server.corsOrigins());
        List<String> hosts = list(server.allowedHosts()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.allowedHosts = hosts.isEmpty() || hosts.contains("*") ? Optional.empty() : Optional.of(Set.copyOf(hosts));
    }

    /** Empty when the request may pass; {@code authority} is its Host header, {@code origin} may be null. */
    public Optional<Refusal> check(String authority, String origin) {
        String host = hostOf(authority);
        if (allowedHosts.isPresent() && (host == null || !allowedHosts.get().contains(host))) {
            return Optional.of(new Refusal("host_not_allowed", "Host " + authority
                    + " is not one of this server's names (ALLOWED_HOSTS)"));
        }
        if (origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin)) {
            return Optional.empty();
        }
        if (!sameOrigin(origin, authority)) {
            return Optional.of(new Refusal("origin_not_allowed", "Origin " + origin
                    + " is not allowed to call this MCP endpoint"));
        }
        if (allowedHosts.isEmpty() && !unforgeable(host)) {
            return Optional.of(new Refusal("host_not_allowed", "Browser requests for Host " + authority
                    + " are refused until the operator lists this server's names in ALLOWED_HOSTS"));
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(String origin, String authority) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || authority == null) {
                return false;
            }
            String originAuthority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return originAuthority.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** An IP literal or localhost: a Host DNS rebinding cannot produce. */
    private static boolean unforgeable(String host) {
        if (host == null) {
            return false;
        }
        return LOOPBACK_NAMES.contains(host) || host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /** The lower-cased host of a Host header, without port and IPv6 brackets; null when absent. */
    static String hostOf(String authority) {
        if (authority == null || authority.isBlank()) {
            return null;
        }
        String value = authority.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(1, end);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static List<String> list(Optional<String> commaSeparated) {
        return commaSeparated.map(list -> Arrays.stream(list.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }
}
