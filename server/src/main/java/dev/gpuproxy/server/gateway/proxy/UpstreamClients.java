package dev.gpuproxy.server.gateway.proxy;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's upstream HTTP clients: one per event loop, each with its own connection pool, and a shared one for
 * callers off the event loops.
 *
 * <p>With one client for the whole server, a connection opened by one event loop served requests of the others: the
 * request was written and its answer read on the connection's thread and handed across threads both ways, and every
 * request scanned the whole pool (Vert.x picks a connection by walking all of a backend's connections). With a client
 * per event loop, a request's upstream I/O runs on the thread that handles it, and each pool is a fraction of the
 * size. The {@code maxConnectionsPerBackend} is shared out over the event loops (rounded up).
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
        int loops = eventLoops(vertx);
        this.perLoopPool = new PoolOptions().setHttp1MaxSize(Math.max(1, (maxConnectionsPerBackend + loops - 1) / loops))
                .setMaxWaitQueueSize(maxWaiting);
        this.shared = vertx.createHttpClient(options,
                new PoolOptions().setHttp1MaxSize(maxConnectionsPerBackend).setMaxWaitQueueSize(maxWaiting));
        this.ofThisEventLoop = ThreadLocal.withInitial(this::newClient);
    }

    /** The client of the calling event loop; the shared one on any other thread. */
    HttpClient current() {
        return Context.isOnEventLoopThread() ? ofThisEventLoop.get() : shared;
    }

    /** Connections each event loop's client keeps per backend. */
    int connectionsPerEventLoop() {
        return perLoopPool.getHttp1MaxSize();
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

    private static int eventLoops(Vertx vertx) {
        EventLoopGroup group = ((VertxInternal) vertx).getEventLoopGroup();
        int count = 0;
        for (var ignored : group) {
            count++;
        }
        return Math.max(1, count);
    }
}
