package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SSRF guard of every proxied URL: resolves the host once and refuses it when any of its addresses is loopback,
 * link-local, private, unique-local, multicast or unspecified, unless an admin allow-listed it (PROXY_ALLOWED_CIDRS).
 * The caller connects to the address returned here (never resolving again), so DNS rebinding cannot swap it.
 */
@ApplicationScoped
public class ProxyTargetGuard {

    /** The target is not one a tenant may reach through the gateway; the message is safe to show. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** An IPv4 or IPv6 network in CIDR notation. */
    public record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String value = text.trim();
            int slash = value.indexOf('/');
            try {
                byte[] address = literal(slash < 0 ? value : value.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(value.substring(slash + 1));
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("Invalid CIDR prefix in " + value);
                }
                return new Cidr(address, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Invalid CIDR " + value + " in PROXY_ALLOWED_CIDRS", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                return Arrays.toString(network) + "/" + prefix;
            }
        }
    }

    private final Vertx vertx;
    private volatile List<Cidr> allowed;

    ProxyTargetGuard(Vertx vertx, ProxyConfig config) {
        this.vertx = vertx;
        this.allowed = parse(config.allowedCidrs().orElse(""));
    }

    public static List<Cidr> parse(String cidrs) {
        List<Cidr> list = new ArrayList<>();
        for (String part : cidrs.split(",")) {
            if (!part.isBlank()) {
                list.add(Cidr.parse(part));
            }
        }
        return List.copyOf(list);
    }

    /** Replaces the allow-list, returning the previous one (tests switch it around one case). */
    public List<Cidr> replaceAllowList(List<Cidr> next) {
        List<Cidr> previous = allowed;
        allowed = List.copyOf(next);
        return previous;
    }

    /** The one address to connect to for {@code host}, or a failed future with {@link Refused}. */
    public Future<InetAddress> resolve(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.matches("\\d{1,3}(\\.\\d{1,3}){3}") || bare.contains(":")) {
            // An address literal needs no DNS, so it is checked right here on the event loop.
            try {
                InetAddress address = InetAddress.getByName(bare);
                check(host, address);
                return Future.succeededFuture(address);
            } catch (UnknownHostException | Refused e) {
                return Future.failedFuture(e instanceof Refused ? e
                        : new Refused("The target host " + host + " is not a valid address"));
            }
        }
        return vertx.executeBlocking(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(bare);
            } catch (UnknownHostException e) {
                throw new Refused("The target host " + host + " does not resolve");
            }
            // Every address must pass: a name with one public and one private address is refused as a whole.
            for (InetAddress address : addresses) {
                check(host, address);
            }
            return addresses[0];
        }, false);
    }

    void check(String host, InetAddress address) {
        if (restricted(address) && allowed.stream().noneMatch(cidr -> cidr.contains(address))) {
            throw new Refused("The target " + host + " resolves to " + address.getHostAddress()
                    + ", a loopback, link-local, private or unspecified address; an admin can allow it with"
                    + " PROXY_ALLOWED_CIDRS");
        }
    }

    /** Loopback, link-local, private, unique-local, CGNAT, multicast or unspecified. */
    public static boolean restricted(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first == 127 || first == 10 || (first == 169 && second == 254)
                    || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)
                    || (first == 100 && (second & 0xc0) == 64) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
            boolean linkLocal = (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
            // IPv4-compatible / NAT64 forms would smuggle an IPv4 target past the IPv4 checks.
            boolean embedsV4 = isZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || isZero(b, 10, 12));
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b;
            return uniqueLocal || linkLocal || embedsV4 || nat64;
        }
        return true;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses an address literal without touching DNS. */
    private static InetAddress literal(String text) throws UnknownHostException {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new UnknownHostException(text + " is not an IP address");
        }
        return InetAddress.getByName(text);
    }
}
