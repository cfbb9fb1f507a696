package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /proxy/{instanceId}/** with {@code Upgrade: websocket}: relayed to a WebSocket server on the caller's instance. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class InstanceWebSocketPassThroughTest {

    @TestHTTPResource("/")
    URL root;
    @Inject
    CreditService credits;
    @Inject
    ProxyTestInstances instances;
    @Inject
    Vertx vertx;

    private HttpServer instanceServer;
    private Api.Account tenant;
    private String key;
    private long id;

    /** The instance: a WebSocket server that first reports the handshake it saw, then echoes; /ws/deny refuses. */
    @BeforeEach
    void setUp() throws Exception {
        instanceServer = vertx.createHttpServer().webSocketHandler(ws -> {
            if (ws.path().equals("/ws/deny")) {
                ws.reject(403);
                return;
            }
            String handshake = new JsonObject().put("path", ws.path()).put("query", ws.query())
                    .put("host", ws.headers().get("Host")).put("forwarded_for", ws.headers().get("X-Forwarded-For"))
                    .put("custom", ws.headers().get("X-Custom")).put("subprotocol", ws.subProtocol())
                    .put("headers", ws.headers().toString()).encode();
            ws.textMessageHandler(text -> {
                if (text.equals("handshake?")) {
                    ws.writeTextMessage(handshake);
                } else if (text.equals("close")) {
                    ws.close((short) 4001, "asked to close");
                } else {
                    ws.writeTextMessage("echo:" + text);
                }
            });
            ws.binaryMessageHandler(bytes -> ws.writeBinaryMessage(Buffer.buffer("bin:").appendBuffer(bytes)));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        tenant = Api.registerAndLogin("ws-passthrough");
        key = Api.createApiKey(tenant, "pt");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        id = instances.create(tenant.id(), "running", "127.0.0.1:" + instanceServer.actualPort());
    }

    @AfterEach
    void stop() {
        instanceServer.close();
    }

    static final class Recorder implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<String> binaries = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            texts.add(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binaries.add(new String(bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }
    }

    private URI wsUri(String path) {
        return URI.create(root.toString().replace("http://", "ws://") + "proxy/" + path);
    }

    @Test
    void framesFlowBothWaysAndACloseCarriesItsCode() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("X-API-Key", key)
                .header("X-Custom", "kept").subprotocols("chat.v1")
                .buildAsync(wsUri(id + "/ws/echo?room=7"), recorder).get(5, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("");
        socket.sendText("handshake?", true).join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.texts.isEmpty());
        JsonObject handshake = new JsonObject(recorder.texts.get(0));
        assertThat(handshake.getString("path")).isEqualTo("/ws/echo");
        assertThat(handshake.getString("query")).isEqualTo("room=7");
        assertThat(handshake.getString("host")).isEqualTo("127.0.0.1:" + instanceServer.actualPort());
        assertThat(handshake.getString("forwarded_for")).isNotBlank();
        assertThat(handshake.getString("custom")).isEqualTo("kept");
        assertThat(handshake.getString("headers")).doesNotContain(key);

        socket.sendText("hello", true).join();
        socket.sendBinary(ByteBuffer.wrap("bytes".getBytes()), true).join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorder.texts.size() == 2
                && recorder.binaries.size() == 1);
        assertThat(recorder.texts.get(1)).isEqualTo("echo:hello");
        assertThat(recorder.binaries).containsExactly("bin:bytes");

        socket.sendText("close", true).join();
        assertThat(recorder.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4001 asked to close");
    }

    @Test
    void aBrowsersBearerSubprotocolTokenAndCookiesNeverReachTheInstance() throws Exception {
        Recorder recorder = new Recorder();
        // What new WebSocket(url, ["bearer", token, "chat.v1"]) sends from a page that also holds cookies.
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "sid=browser-cookie-of-gpuproxy")
                .subprotocols("bearer", tenant.accessToken(), "chat.v1")
                .buildAsync(wsUri(id + "/ws/echo"), recorder).get(5, TimeUnit.SECONDS);
        // The instance chose no subprotocol; the browser, which offered some, gets bearer confirmed as /ws does.
        assertThat(socket.getSubprotocol()).isEqualTo("bearer");
        socket.sendText("handshake?", true).join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.texts.isEmpty());
        String seen = recorder.texts.get(0);
        assertThat(seen).doesNotContain(tenant.accessToken()).doesNotContain("browser-cookie-of-gpuproxy")
                .doesNotContain("bearer");
        assertThat(new JsonObject(seen).getString("headers")).containsIgnoringCase("sec-websocket-protocol")
                .contains("chat.v1");
        socket.sendClose(1000, "done").join();

        // An API key offered the same way is stripped just as well.
        Recorder keyed = new Recorder();
        WebSocket second = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("bearer", key)
                .buildAsync(wsUri(id + "/ws/echo"), keyed).get(5, TimeUnit.SECONDS);
        second.sendText("handshake?", true).join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !keyed.texts.isEmpty());
        assertThat(keyed.texts.get(0)).doesNotContain(key).doesNotContain("bearer");
        second.sendClose(1000, "done").join();
    }

    @Test
    void theInstancesRefusalAndAForeignInstanceAreHttpAnswersNotUpgrades() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder().header("X-API-Key", key)
                .buildAsync(wsUri(id + "/ws/deny"), new Recorder()).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
        Api.Account other = Api.registerAndLogin("ws-passthrough-other");
        long theirs = instances.create(other.id(), "running", "127.0.0.1:" + instanceServer.actualPort());
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder().header("X-API-Key", key)
                .buildAsync(wsUri(theirs + "/ws/echo"), new Recorder()).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(404));
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(wsUri(id + "/ws/echo"), new Recorder()).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
    }

    /**
     * An instance that answers a handshake with a plain body instead of 101 (here one that never ends) must not make
     * the gateway read that body whole before answering: the first bytes reach the client while the instance still
     * writes. Before, the whole body was buffered in memory, so an endless or huge answer grew without bound.
     */
    @Test
    void anAnswerThatIsNotAnUpgradeIsStreamedNotBuffered() throws Exception {
        CompletableFuture<Void> finish = new CompletableFuture<>();
        HttpServer plain = vertx.createHttpServer().requestHandler(request -> {
            var response = request.response().setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/plain");
            response.write("first-part;");
            finish.whenComplete((done, error) -> vertx.runOnContext(v -> response.end("rest")));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try {
            long plainId = instances.create(tenant.id(), "running", "127.0.0.1:" + plain.actualPort());
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /proxy/" + plainId + "/not-a-socket HTTP/1.1\r\nHost: " + root.getHost() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-API-Key: " + key + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                byte[] buffer = new byte[4096];
                while (!seen.toString().contains("first-part;")) {
                    int read = in.read(buffer);
                    assertThat(read).as("the answer so far: %s", seen).isPositive();
                    seen.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
                assertThat(seen.toString()).startsWith("HTTP/1.1 200").doesNotContain("rest");
            }
        } finally {
            finish.complete(null);
            plain.close();
        }
    }
}
