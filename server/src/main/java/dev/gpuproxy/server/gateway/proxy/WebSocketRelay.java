package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * A WebSocket upgrade passed through to an instance as a tunnel: the client's handshake goes to the instance (through
 * {@link ProxyTargetGuard}'s checked address, Host kept), and when the instance switches protocols its 101 (with its
 * {@code Sec-WebSocket-Accept}, chosen subprotocol and extensions) goes back to the client and the two connections are
 * joined byte for byte, with backpressure. So frames, fragments, subprotocols, compression and close codes are exactly
 * the instance's; any other answer to the handshake comes back as a normal HTTP answer. Metered as one request. The
 * handshake carries the headers of {@link ForwardedHeaders}: none of our credentials, the bearer subprotocol included.
 */
public final class WebSocketRelay {

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final ProxyTargetGuard guard;

    public WebSocketRelay(Gateway gateway, GatewayAdmission admission, ProxyTargetGuard guard) {
        this.gateway = gateway;
        this.admission = admission;
        this.guard = guard;
    }

    public static boolean isUpgrade(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** Sends the client's handshake to {@code target} with {@code headers}; on 101 joins the two connections. */
    public void relay(RoutingContext context, GatewayCaller caller, URI target, MultiMap headers) {
        guard.resolve(target.getHost()).onComplete(resolved -> {
            if (resolved.failed()) {
                boolean refused = resolved.cause() instanceof ProxyTargetGuard.Refused;
                refuse(context, caller, refused ? 403 : 502, refused ? "target_not_allowed" : "target_unresolvable",
                        refused ? resolved.cause().getMessage() : "The target host could not be resolved");
                return;
            }
            handshake(context, caller, target, resolved.result(), headers);
        });
    }

    private void handshake(RoutingContext context, GatewayCaller caller, URI target, InetAddress address,
                           MultiMap headers) {
        int port = ProxyTargets.port(target);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(target.getHost()).setPort(port)
                .setSsl("https".equalsIgnoreCase(target.getScheme()) || "wss".equalsIgnoreCase(target.getScheme()))
                .setURI(path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()))
                .setFollowRedirects(false)
                .setConnectTimeout(gateway.config.connectTimeout().toMillis());
        MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(headers, outgoing, "host");
        outgoing.set("Connection", "Upgrade").set("Upgrade", "websocket");
        options.setHeaders(outgoing);
        gateway.clients.current().request(options)
                .compose(request -> request.connect())
                .onComplete(answered -> {
                    if (answered.failed()) {
                        refuse(context, caller, 502, "target_unreachable", "The instance could not be reached: "
                                + answered.cause().getClass().getSimpleName());
                        return;
                    }
                    HttpClientResponse response = answered.result();
                    if (response.statusCode() != 101) {
                        answerWithoutUpgrade(context, caller, response);
                        return;
                    }
                    switchProtocols(context, caller, response);
                });
    }

    private void switchProtocols(RoutingContext context, GatewayCaller caller, HttpClientResponse response) {
        HttpServerResponse out = context.response();
        HopByHopHeaders hopByHop = HopByHopHeaders.of(response.headers());
        response.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("sec-websocket-") || !hopByHop.isHopByHop(name)) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        out.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        // The bearer subprotocol (and its token) never reached the instance; a browser that offered it fails a
        // handshake answered with no subprotocol, so when the instance chose none we confirm bearer, as /ws does.
        if (ForwardedHeaders.offeredBearer(context.request())
                && !out.headers().contains(ForwardedHeaders.SUBPROTOCOLS)) {
            out.headers().set(ForwardedHeaders.SUBPROTOCOLS, CredentialAuthMechanism.BEARER_SUBPROTOCOL);
        }
        NetSocket instance = response.netSocket();
        context.request().toNetSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                instance.close();
                admission.release(caller);
                return;
            }
            admission.meterRequest(caller);
            NetSocket client = upgraded.result();
            client.pipeTo(instance);
            instance.pipeTo(client);
        });
    }

    /**
     * The instance did not switch protocols: its status, headers and body go back as a plain answer, streamed rather
     * than read whole, so an instance that answers a handshake with a huge body cannot make the gateway buffer it.
     */
    private void answerWithoutUpgrade(RoutingContext context, GatewayCaller caller, HttpClientResponse response) {
        HttpServerResponse out = context.response().setStatusCode(response.statusCode());
        HopByHopHeaders.copyEndToEnd(response.headers(), out.headers());
        if (!out.headers().contains("Content-Length")) {
            out.setChunked(true);
        }
        admission.meterRequest(caller);
        response.pipeTo(out);
    }

    private void refuse(RoutingContext context, GatewayCaller caller, int status, String code, String message) {
        admission.release(caller);
        ErrorWriter.PROBLEM.send(context.response(), status, code, message);
    }
}
