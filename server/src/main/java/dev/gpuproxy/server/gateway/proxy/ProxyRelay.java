package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;

/**
 * One guarded HTTP call to a single target URL (the envelope and the instance pass-through): resolve the host once
 * through {@link ProxyTargetGuard}, connect to that address with the original Host (and TLS name), send the body
 * (a buffer, or the client's own request streamed with backpressure), and hand the target's real status, headers and
 * body back (streamed, or buffered when asked). Redirects are returned, never followed. Meters one request.
 */
public final class ProxyRelay {

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final ProxyTargetGuard guard;
    private final RoutingContext context;
    private final GatewayCaller caller;
    private final ErrorWriter errors;
    private boolean finished;
    private HttpClientRequest upstream;

    public ProxyRelay(Gateway gateway, GatewayAdmission admission, ProxyTargetGuard guard, RoutingContext context,
               GatewayCaller caller, ErrorWriter errors) {
        this.gateway = gateway;
        this.admission = admission;
        this.guard = guard;
        this.context = context;
        this.caller = caller;
        this.errors = errors;
    }

    /**
     * Sends {@code method target} with {@code headers}; the body is {@code body}, or when null and {@code
     * streamRequest}, the client's request itself (paused by the caller until now).
     */
    public void send(URI target, HttpMethod method, MultiMap headers, Buffer body, boolean streamRequest,
              boolean streamResponse, long timeLimitMillis) {
        HttpServerResponse response = context.response();
        response.closeHandler(v -> {
            if (!finished) {
                if (upstream != null) {
                    upstream.reset();
                }
                finish(response.headWritten());
            }
        });
        if (timeLimitMillis > 0) {
            long timer = gateway.vertx.setTimer(timeLimitMillis, id -> timeLimitReached());
            response.endHandler(v -> gateway.vertx.cancelTimer(timer));
        }
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        int port = ProxyTargets.port(target);
        guard.resolve(target.getHost()).onComplete(resolved -> {
            if (finished) {
                return;
            }
            if (resolved.failed()) {
                boolean refused = resolved.cause() instanceof ProxyTargetGuard.Refused;
                fail(refused ? 403 : 502, refused ? "target_not_allowed" : "target_unresolvable",
                        refused ? resolved.cause().getMessage() : "The target host could not be resolved");
                return;
            }
            InetAddress address = resolved.result();
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setHost(target.getHost())
                    .setPort(port)
                    .setSsl(https)
                    .setURI(path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()))
                    .setFollowRedirects(false)
                    .setConnectTimeout(gateway.config.connectTimeout().toMillis())
                    .setIdleTimeout(gateway.config.idleTimeout().toMillis());
            MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();
            HopByHopHeaders.copyEndToEnd(headers, outgoing, "host");
            options.setHeaders(outgoing);
            HttpServerRequest incoming = context.request();
            gateway.clients.current().request(options).compose(request -> {
                upstream = request;
                if (body != null) {
                    return request.send(body);
                }
                if (streamRequest) {
                    String length = incoming.getHeader("Content-Length");
                    if (length != null) {
                        request.putHeader("Content-Length", length);
                    } else {
                        request.setChunked(true);
                    }
                    return request.send(incoming);
                }
                return request.send();
            }).onComplete(result -> {
                if (finished) {
                    if (result.succeeded()) {
                        result.result().request().reset();
                    }
                    return;
                }
                if (result.failed()) {
                    fail(502, "target_unreachable", "The target could not be reached: "
                            + result.cause().getClass().getSimpleName());
                    return;
                }
                relay(result.result(), streamResponse);
            });
        });
    }

    private void relay(HttpClientResponse in, boolean stream) {
        if (!stream) {
            relayBuffered(in);
            return;
        }
        HttpServerResponse out = context.response();
        copyHead(in, out);
        String length = in.getHeader("Content-Length");
        if (length != null) {
            out.putHeader("Content-Length", length);
        } else {
            out.setChunked(true);
            // The head goes out as soon as the target's arrived, not with the first chunk, which may be long coming.
            out.writeHead();
        }
        in.handler(chunk -> {
            out.write(chunk);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(v -> in.resume());
            }
        });
        in.exceptionHandler(error -> {
            if (!finished) {
                out.reset();
                finish(true);
            }
        });
        in.endHandler(v -> {
            if (!finished) {
                out.end();
                finish(true);
            }
        });
        in.resume();
    }

    /**
     * Reads the whole answer (at most PROXY_MAX_BUFFERED_RESPONSE), then sends it with the target's status and
     * headers; a larger answer is dropped and refused with 502 {@code target_answer_too_large}.
     */
    private void relayBuffered(HttpClientResponse in) {
        long max = gateway.maxBufferedResponseBytes;
        String length = in.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > max) {
            tooLarge(in, max);
            return;
        }
        Buffer content = Buffer.buffer();
        in.handler(chunk -> {
            if (finished) {
                return;
            }
            if (content.length() + (long) chunk.length() > max) {
                tooLarge(in, max);
                return;
            }
            content.appendBuffer(chunk);
        });
        in.exceptionHandler(error -> {
            if (!finished) {
                fail(502, "target_failed", "The target failed while answering");
            }
        });
        in.endHandler(v -> {
            if (finished) {
                return;
            }
            HttpServerResponse out = context.response();
            copyHead(in, out);
            out.end(content);
            finish(true);
        });
        in.resume();
    }

    private void tooLarge(HttpClientResponse in, long max) {
        in.handler(null);
        fail(502, "target_answer_too_large", "The target's answer is larger than the " + max + " bytes the envelope"
                + " reads into memory; ask for \"stream_response\": true to receive it as it arrives");
        in.request().reset();
    }

    private static void copyHead(HttpClientResponse in, HttpServerResponse out) {
        out.setStatusCode(in.statusCode());
        if (in.statusMessage() != null) {
            out.setStatusMessage(in.statusMessage());
        }
        HopByHopHeaders.copyEndToEnd(in.headers(), out.headers());
    }

    private void timeLimitReached() {
        if (finished) {
            return;
        }
        // Answer first: resetting the upstream fails its request, whose handler must find the exchange finished.
        if (context.response().headWritten()) {
            finish(true);
            context.response().reset();
        } else {
            fail(504, "time_limit_exceeded", "The call exceeded its time limit");
        }
        if (upstream != null) {
            upstream.reset();
        }
    }

    private void fail(int status, String code, String message) {
        errors.send(context.response(), status, code, message);
        finish(false);
    }

    private void finish(boolean delivered) {
        if (finished) {
            return;
        }
        finished = true;
        if (delivered) {
            admission.meterRequest(caller);
        } else {
            admission.release(caller);
        }
    }
}
