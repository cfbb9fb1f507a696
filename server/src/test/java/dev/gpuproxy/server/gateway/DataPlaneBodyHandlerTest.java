package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data plane's body handler reads a request body into a buffer of its declared length, not into 1 KB grown by
 * doubling, and still reads a body without a declared length (chunked) whole.
 */
class DataPlaneBodyHandlerTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyWithContentLengthIsReadIntoABufferOfThatLength() throws Exception {
        Buffer body = Buffer.buffer("x".repeat(3000));
        Buffer seen = receive(request -> request.putHeader("Content-Length", "3000").send(body));
        assertThat(seen).isEqualTo(body);
        // Grown from 1 KB by doubling it would hold 4096 bytes, having allocated 1, 2 and 4 KB on the way.
        // (getByteBuf() is a slice of the readable bytes; the buffer's own ByteBuf shows what was allocated.)
        assertThat(((BufferImpl) seen).byteBuf().capacity()).isEqualTo(3000);
    }

    @Test
    void aChunkedBodyIsStillReadWhole() throws Exception {
        Buffer seen = receive(request -> {
            request.setChunked(true);
            request.write("x".repeat(2000));
            return request.end("y".repeat(2000)).compose(v -> request.response());
        });
        assertThat(seen.toString()).isEqualTo("x".repeat(2000) + "y".repeat(2000));
    }

    private static Buffer receive(Function<HttpClientRequest, Future<?>> send) throws Exception {
        CompletableFuture<Buffer> seen = new CompletableFuture<>();
        Router router = Router.router(vertx);
        router.post("/v1/chat/completions").handler(DataPlaneRoutes.bodyHandler(1024 * 1024));
        router.post("/v1/chat/completions").handler(context -> {
            seen.complete(context.body().buffer());
            context.response().end();
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            vertx.createHttpClient().request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/v1/chat/completions")
                    .compose(send::apply)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return seen.get(10, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
