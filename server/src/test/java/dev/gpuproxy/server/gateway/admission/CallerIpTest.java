package dev.gpuproxy.server.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The caller's IP the gateway records: the router's answer, read without the router wrapper's URI work. */
class CallerIpTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static GatewayAuthenticator authenticator(boolean addressForwarded) {
        return new GatewayAuthenticator(null, vertx, addressForwarded);
    }

    @Test
    void withoutAddressForwardingItIsWhatTheRoutersRequestSaysAndForwardingHeadersAreIgnored() throws Exception {
        CompletableFuture<String[]> seen = new CompletableFuture<>();
        Router router = Router.router(vertx);
        router.route().handler(context -> {
            seen.complete(new String[] {context.request().remoteAddress().hostAddress(),
                    authenticator(false).callerIp(context.request())});
            context.response().end();
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/v1/models")
                    .compose(request -> request.putHeader("X-Forwarded-For", "203.0.113.9")
                            .putHeader("Forwarded", "for=203.0.113.9").send())
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String[] addresses = seen.get(10, TimeUnit.SECONDS);
            assertThat(addresses[1]).isEqualTo(addresses[0]).isEqualTo("127.0.0.1");
        } finally {
            server.close();
        }
    }

    @Test
    void withAddressForwardingItIsTheAddressQuarkusReadFromTheHeaders() {
        HttpServerRequest request = mock(HttpServerRequest.class);
        HttpConnection connection = mock(HttpConnection.class);
        when(request.connection()).thenReturn(connection);
        when(connection.remoteAddress()).thenReturn(SocketAddress.inetSocketAddress(40000, "10.0.0.2"));
        when(request.remoteAddress()).thenReturn(SocketAddress.inetSocketAddress(0, "203.0.113.9"));

        assertThat(authenticator(true).callerIp(request)).isEqualTo("203.0.113.9");
        assertThat(authenticator(false).callerIp(request)).as("the proxy's own address").isEqualTo("10.0.0.2");
    }

    @Test
    void aRequestWithoutAnAddressHasNoIp() {
        HttpServerRequest request = mock(HttpServerRequest.class);
        assertThat(authenticator(false).callerIp(request)).isNull();
        assertThat(authenticator(true).callerIp(request)).isNull();
    }
}
