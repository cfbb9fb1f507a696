package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The data plane's body handler reads a request body into a buffer of its declared length, not into 1 KB grown by
 * doubling, and still reads a body without a declared length (chunked) whole.
 */
class DataPlaneBodyHandlerTest {

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

    @Test
    void aBodyOverTheLimitIsRefusedWhetherDeclaredOrChunked() throws Exception {
        CompletableFuture<Buffer> neverSeen = new CompletableFuture<>();
        HttpClientResponse declared = exchange(1000, neverSeen, request -> request.send("x".repeat(2000)));
        HttpClientResponse chunked = exchange(1000, neverSeen, request -> {
            request.setChunked(true);
            request.write("x".repeat(800));
            return request.end("y".repeat(800)).compose(v -> request.response());
        });
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(neverSeen).isNotDone();
    }

    private static Buffer receive(Function<HttpClientRequest, Future<HttpClientResponse>> send) throws Exception {
        CompletableFuture<Buffer> seen = new CompletableFuture<>();
        exchange(1024 * 1024, seen, send);
        return seen.get(10, TimeUnit.SECONDS);
    }

    /** One request to a route behind the data plane's body handler of {@code limit} bytes, which hands the body to {@code seen}. */
    private static HttpClientResponse exchange(long limit, CompletableFuture<Buffer> seen,
                                               Function<HttpClientRequest, Future<HttpClientResponse>> send)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/v1/chat/completions").handler(DataPlaneRoutes.bodyHandler(limit));
        router.post("/v1/chat/completions").handler(context -> {
            seen.complete(context.body().buffer());
            context.response().end();
        });
        // As the gateway's routes do: a refusal is answered with its status (the router would log it as unhandled).
        router.route().failureHandler(context -> context.response().setStatusCode(context.statusCode()).end());
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return vertx.createHttpClient()
                    .request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/v1/chat/completions")
                    .compose(send)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            // Closing Vert.x closes its server and client too.
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
