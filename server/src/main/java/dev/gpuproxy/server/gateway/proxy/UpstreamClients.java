package dev.gpuproxy.server.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's upstream HTTP clients: one per event loop, each with its own connection pool, and a shared one for
 * callers off the event loops.
 *
 * <p>With one client for the whole server, a connection opened by one event loop served requests of the others: the
 * request was written and its answer read on the connection's thread and handed across threads both ways, and every
 * request scanned the whole pool (Vert.x picks a connection by walking all of a backend's connections). With a client
 * per event loop, a request's upstream I/O runs on the thread that handles it.
 *
 * <p>Each event loop may open {@code maxConnectionsPerBackend} to a backend: streams hold their connection for minutes
 * and clients are not spread evenly over the event loops (an HTTP/2 client's hundred streams share one), so a pool
 * cut into per-loop shares left streams waiting for a connection while other loops had spare ones.
 */
final class UpstreamClients {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions perLoopPool;
    private final HttpClient shared;
    private final ThreadLocal<HttpClient> ofThisEventLoop;
    private final List<HttpClient> created = new CopyOnWriteArrayList<>();

    UpstreamClients(Vertx vertx, HttpClientOptions options, int maxConnectionsPerBackend, int maxWaiting) {
        this.vertx = vertx;
        this.options = options;
        this.perLoopPool = new PoolOptions().setHttp1MaxSize(maxConnectionsPerBackend).setMaxWaitQueueSize(maxWaiting);
        this.shared = vertx.createHttpClient(options, perLoopPool);
        this.ofThisEventLoop = ThreadLocal.withInitial(this::newClient);
    }

    /** The client of the calling event loop; the shared one on any other thread. */
    HttpClient current() {
        return Context.isOnEventLoopThread() ? ofThisEventLoop.get() : shared;
    }

    void close() {
        created.forEach(HttpClient::close);
        shared.close();
    }

    private HttpClient newClient() {
        HttpClient client = vertx.createHttpClient(options, perLoopPool);
        created.add(client);
        return client;
    }
}
