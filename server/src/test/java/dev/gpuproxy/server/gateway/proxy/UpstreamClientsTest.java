package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamClientsTest {

    private Vertx vertx;
    private HttpServer upstream;
    private UpstreamClients clients;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        upstream = vertx.createHttpServer().requestHandler(request -> request.response().end("ok"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        clients = new UpstreamClients(vertx, new HttpClientOptions().setKeepAlive(true), 5, 100);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachEventLoopHasItsOwnClientAndOtherThreadsShareOne() throws Exception {
        Context first = ((ContextInternal) vertx.getOrCreateContext()).owner().createEventLoopContext();
        Context second = otherEventLoop(first);
        Object onFirst = on(first, () -> clients.current());
        assertThat(on(first, () -> clients.current())).isSameAs(onFirst);
        assertThat(on(second, () -> clients.current())).isNotSameAs(onFirst);
        assertThat(clients.current()).isNotSameAs(onFirst).isSameAs(clients.current());
    }

    @Test
    void aRequestUsesAConnectionOfItsOwnEventLoop() throws Exception {
        Context first = ((ContextInternal) vertx.getOrCreateContext()).owner().createEventLoopContext();
        Context second = otherEventLoop(first);
        // The first loop leaves a pooled connection behind; the second must not be handed it (its I/O would run on
        // the first loop's thread).
        assertThat(requestOnOwnLoop(first)).isTrue();
        assertThat(requestOnOwnLoop(second)).isTrue();
        assertThat(requestOnOwnLoop(first)).isTrue();
    }

    private boolean requestOnOwnLoop(Context context) throws Exception {
        Future<Boolean> sameLoop = this.<Future<Boolean>>on(context, () -> clients.current()
                .request(HttpMethod.GET, upstream.actualPort(), "127.0.0.1", "/")
                .compose(request -> request.send().compose(response -> response.body().map(body ->
                        ((ConnectionBase) request.connection()).channel().eventLoop().inEventLoop()))));
        return sameLoop.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Context otherEventLoop(Context first) throws Exception {
        ContextInternal firstInternal = (ContextInternal) first;
        for (int i = 0; i < 10; i++) {
            ContextInternal candidate = firstInternal.owner().createEventLoopContext();
            if (candidate.nettyEventLoop() != firstInternal.nettyEventLoop()) {
                return candidate;
            }
        }
        throw new AssertionError("Vert.x handed out one event loop only");
    }

    private <T> T on(Context context, java.util.function.Supplier<T> work) throws Exception {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> result.complete(work.get()));
        return result.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
