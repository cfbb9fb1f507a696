package dev.gpuproxy.bench.reference;

import dev.gpuproxy.bench.Args;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;

/**
 * The floor of gpuproxyd's stack: a reverse proxy on plain Vert.x (the toolkit under Quarkus' HTTP layer) with the
 * same HTTP client settings as gpuproxyd's gateway, and nothing else: no router, no authentication, rate limit,
 * credit hold, balancing or metering. The request body is read whole and sent, the answer is read whole and sent in
 * one write, as gpuproxyd does for a small answer. What it costs per request is what gpuproxyd cannot go below
 * without leaving Vert.x; the difference is what gpuproxyd's own work and Quarkus add.
 *
 * <p>{@code vertx-proxy --port 9000 --upstream-port 9001 [--event-loops 4]}
 */
public final class BareVertxProxy extends AbstractVerticle {

    /** Connection-level headers (RFC 9110 7.6.1) that a proxy does not pass on. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "content-length", "host");

    private final int port;
    private final int upstreamPort;
    private HttpClient client;

    private BareVertxProxy(int port, int upstreamPort) {
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    public static void main(Args args) {
        int port = args.intValue("port", 0);
        int upstreamPort = args.intValue("upstream-port", 0);
        // Quarkus' default: two event loops per core.
        int eventLoops = args.intValue("event-loops", 2 * Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        vertx.deployVerticle(() -> new BareVertxProxy(port, upstreamPort), new DeploymentOptions().setInstances(eventLoops))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                })
                .onSuccess(id -> System.out.println("bare Vert.x proxy on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort));
    }

    @Override
    public void start() {
        // The options of gpuproxyd's gateway client (server/.../gateway/proxy/Gateway.java).
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout(5000).setIdleTimeout(120).setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(512).setMaxWaitQueueSize(10_000));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setHost("127.0.0.1").setPort(port))
                .requestHandler(this::forward)
                .listen()
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private void forward(HttpServerRequest in) {
        in.body().onSuccess(body -> {
            RequestOptions options = new RequestOptions().setMethod(in.method()).setHost("127.0.0.1")
                    .setPort(upstreamPort).setURI(in.uri());
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            in.headers().forEach(h -> {
                if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    headers.add(h.getKey(), h.getValue());
                }
            });
            options.setHeaders(headers);
            client.request(options)
                    .compose(out -> out.send(body))
                    .compose(answer -> answer.body().onSuccess(content -> {
                        in.response().setStatusCode(answer.statusCode());
                        answer.headers().forEach(h -> {
                            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                                in.response().headers().add(h.getKey(), h.getValue());
                            }
                        });
                        in.response().end(content);
                    }))
                    .onFailure(e -> {
                        if (!in.response().ended()) {
                            in.response().setStatusCode(502).end();
                        }
                    });
        });
    }
}
