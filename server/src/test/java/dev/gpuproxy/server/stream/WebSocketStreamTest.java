package dev.gpuproxy.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.server.gateway.GatewayProfile;
import dev.gpuproxy.server.gateway.ProxyTestInstances;
import dev.gpuproxy.server.gpu.service.InstanceRecords;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /ws}: authentication, per-user events across replicas (Redis), streamed chat, pings, idle and slow clients. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class WebSocketStreamTest {

    static final UpstreamStub UPSTREAM = new UpstreamStub("ws");

    @Inject
    UserEvents events;
    @Inject
    SocketSessions sessions;
    @Inject
    ProxyTestInstances instances;
    @Inject
    InstanceRecords instanceRecords;
    @Inject
    ReactiveRedisDataSource redis;

    private Api.Account admin;
    private Api.Account tenant;
    private String key;

    @BeforeEach
    void setUp() {
        UPSTREAM.reset();
        admin = Api.admin();
        tenant = Api.registerAndLogin("ws");
        key = Api.createApiKey(tenant, "ws");
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    /** A client that records every text message and close, reading only as far as {@code autoRead} allows. */
    static final class Client implements WebSocket.Listener {
        final List<JsonObject> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final AtomicInteger pings = new AtomicInteger();
        private final boolean autoRead;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Client(boolean autoRead) {
            this.autoRead = autoRead;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            if (autoRead) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        void send(JsonObject message) {
            socket.sendText(message.encode(), true).join();
        }

        List<JsonObject> ofType(String type) {
            return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
        }

        List<JsonObject> events(String topic) {
            return ofType("event").stream().filter(m -> topic.equals(m.getString("topic"))).toList();
        }

        void subscribe(String... topics) {
            int before = ofType("subscribed").size();
            send(new JsonObject().put("type", "subscribe").put("topics", List.of(topics)));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ofType("subscribed").size() > before);
        }
    }

    private static URI wsUri() {
        return URI.create("ws://127.0.0.1:" + RestAssured.port + "/ws");
    }

    private static Client connect(WebSocket.Builder builder, boolean autoRead) {
        Client client = new Client(autoRead);
        client.socket = builder.buildAsync(wsUri(), client).join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("welcome").isEmpty());
        return client;
    }

    private static Client connect(String apiKey) {
        return connect(HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + apiKey),
                true);
    }

    private void grant(long userId, String amount) {
        admin.asUser().contentType(ContentType.JSON).body(Map.of("amount", amount, "reason", "ws test"))
                .post("/api/v1/admin/users/" + userId + "/credits").then().statusCode(201);
    }

    @Test
    void aConnectionWithoutACredentialIsRefused() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(wsUri(), new Client(true)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder().header("X-API-Key", "gpx_bad_key")
                .buildAsync(wsUri(), new Client(true)).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void aBrowserAuthenticatesWithTheBearerSubprotocolAndAKeyWorksInAHeader() {
        Client browser = connect(HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("bearer", tenant.accessToken()), true);
        assertThat(browser.socket.getSubprotocol()).isEqualTo("bearer");
        assertThat(browser.ofType("welcome").get(0).getLong("user_id")).isEqualTo(tenant.id());
        Client keyed = connect(key);
        assertThat(keyed.ofType("welcome").get(0).getJsonArray("topics").getList())
                .containsExactly("credits", "instances", "loads", "reservations");
        assertThat(sessions.openFor(tenant.id())).isEqualTo(2);
        browser.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        keyed.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sessions.openFor(tenant.id()) == 0);
    }

    @Test
    void creditChangesReachTheirOwnersSubscribedConnectionsOnly() {
        Api.Account other = Api.registerAndLogin("ws-other");
        Client mine = connect(key);
        Client mineUnsubscribed = connect(key);
        Client theirs = connect(Api.createApiKey(other, "ws"));
        mine.subscribe("credits");
        theirs.subscribe("credits");
        grant(tenant.id(), "2.5");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !mine.events("credits").isEmpty());
        JsonObject data = mine.events("credits").get(0).getJsonObject("data");
        assertThat(data.getString("kind")).isEqualTo("grant");
        assertThat(new BigDecimal(data.getValue("change").toString())).isEqualByComparingTo("2.5");
        assertThat(new BigDecimal(data.getValue("balance").toString())).isEqualByComparingTo("2.5");
        grant(other.id(), "7");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !theirs.events("credits").isEmpty());
        // Events go out in order on one channel: once theirs arrived, ours would have too.
        assertThat(theirs.events("credits")).hasSize(1);
        assertThat(new BigDecimal(theirs.events("credits").get(0).getJsonObject("data").getValue("balance").toString()))
                .isEqualByComparingTo("7");
        assertThat(mine.events("credits")).hasSize(1);
        assertThat(mineUnsubscribed.ofType("event")).isEmpty();
    }

    @Test
    void instanceStateChangesReachTheOwnerAndNoOneElse() {
        Api.Account other = Api.registerAndLogin("ws-other");
        Client mine = connect(key);
        Client theirs = connect(Api.createApiKey(other, "ws"));
        mine.subscribe("instances");
        theirs.subscribe("instances");
        long instance = instances.create(tenant.id(), "running", "http://127.0.0.1:1");
        instanceRecords.end(instance, InstanceState.TERMINATED);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !mine.events("instances").isEmpty());
        JsonObject data = mine.events("instances").get(0).getJsonObject("data");
        assertThat(data.getLong("id")).isEqualTo(instance);
        assertThat(data.getString("state")).isEqualTo("terminated");
        // A later event of the other tenant's arrives for them, and nothing of ours came before it.
        long theirInstance = instances.create(other.id(), "running", "http://127.0.0.1:1");
        instanceRecords.end(theirInstance, InstanceState.TERMINATED);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !theirs.events("instances").isEmpty());
        assertThat(theirs.events("instances")).extracting(e -> e.getJsonObject("data").getLong("id"))
                .containsExactly(theirInstance);
    }

    @Test
    void eventsPublishedByAnotherReplicaArriveThroughRedis() {
        Client mine = connect(key);
        mine.subscribe("reservations");
        // What another replica's UserEvents sends: the same channel, the same message shape.
        String published = new JsonObject().put("user_id", tenant.id()).put("topic", "reservations")
                .put("data", new JsonObject().put("id", 42).put("state", "active")).put("at", "2026-11-26T00:00:00Z")
                .encode();
        redis.pubsub(String.class).publish(events.channel(), published).await().atMost(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !mine.events("reservations").isEmpty());
        assertThat(mine.events("reservations").get(0).getJsonObject("data").getInteger("id")).isEqualTo(42);

        // And our own events go out on that channel for the other replicas.
        List<String> seen = new CopyOnWriteArrayList<>();
        redis.pubsub(String.class).subscribe(events.channel(), seen::add).await().atMost(Duration.ofSeconds(5));
        grant(tenant.id(), "1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream()
                .anyMatch(m -> m.contains("\"user_id\":" + tenant.id()) && m.contains("\"credits\"")));
    }

    @Test
    void aChatStreamsItsTokensThenItsUsageAndIsMetered() {
        String model = "ws-model-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", model)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("pool", model, "kind", "openai", "url", UPSTREAM.baseUrl() + "/v1"))
                .post("/api/v1/admin/backends").then().statusCode(201);
        grant(tenant.id(), "10");
        Client client = connect(key);
        client.send(new JsonObject().put("type", "chat").put("id", "c1").put("request", new JsonObject()
                .put("model", model).put("messages", List.of(Map.of("role", "user", "content", "hi")))));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !client.ofType("done").isEmpty());
        assertThat(client.ofType("chunk")).extracting(m -> m.getString("content"))
                .containsExactly("tok0 ", "tok1 ", "tok2 ", "tok3 ", "tok4 ");
        JsonObject done = client.ofType("done").get(0);
        assertThat(done.getString("id")).isEqualTo("c1");
        assertThat(done.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(7);
        assertThat(done.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
        // The gateway itself ran it: streamed upstream, and metered for this tenant.
        assertThat(UPSTREAM.received().get(0).body()).contains("\"stream\":true");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", org.hamcrest.Matchers.equalTo(1))
                        .body("tokens_out", org.hamcrest.Matchers.equalTo(5)));
    }

    @Test
    void aChatTheGatewayRefusesComesBackAsAnErrorMessage() {
        Client client = connect(key); // no credits at all
        client.send(new JsonObject().put("type", "chat").put("id", "c2").put("request", new JsonObject()
                .put("model", "whatever").put("messages", List.of(Map.of("role", "user", "content", "hi")))));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("error").isEmpty());
        JsonObject error = client.ofType("error").get(0);
        assertThat(error.getString("id")).isEqualTo("c2");
        assertThat(error.getInteger("status")).isIn(402, 404);
        client.send(new JsonObject().put("type", "chat").put("request", new JsonObject()));
        client.send(new JsonObject().put("type", "subscribe").put("topics", List.of("secrets")));
        client.send(new JsonObject().put("type", "dance"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.ofType("error").size() == 4);
        assertThat(client.ofType("error")).extracting(m -> m.getString("code"))
                .contains("invalid_chat", "unknown_topic", "unknown_type");
    }

    @Test
    void loadSnapshotsShowTheBackendsATenantMayRouteTo() {
        String pool = "ws-loads-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", pool)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("pool", pool, "kind", "openai", "url", UPSTREAM.baseUrl() + "/v1"))
                .post("/api/v1/admin/backends").then().statusCode(201);
        Client client = connect(key);
        client.subscribe("loads");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.events("loads").stream()
                .anyMatch(e -> e.encode().contains(pool)));
        JsonObject backend = client.events("loads").stream().flatMap(e -> e.getJsonObject("data")
                        .getJsonArray("backends").stream().map(JsonObject.class::cast))
                .filter(b -> pool.equals(b.getString("pool"))).findFirst().orElseThrow();
        assertThat(backend.containsKey("in_flight")).isTrue();
        assertThat(backend.getValue("url")).as("a tenant does not see a global backend's address").isNull();
    }

    @Test
    void pingsGetPongsAndAQuietConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Client client = connect(key);
        client.send(new JsonObject().put("type", "ping"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("pong").isEmpty());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.pings.get() > 0); // protocol pings
        assertThat(sessions.closeIdle(System.nanoTime())).isZero();
        sessions.closeIdle(System.nanoTime() + Duration.ofMinutes(10).toNanos());
        assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sessions.openFor(tenant.id()) == 0);
    }

    @Test
    void aClientThatStopsReadingIsDroppedInsteadOfBufferedWithoutBound() {
        Client slow = connect(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + key), false); // reads the welcome, then nothing more
        slow.socket.sendText(new JsonObject().put("type", "subscribe").put("topics", List.of("credits")).encode(), true)
                .join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sessions.all().stream()
                .anyMatch(s -> s.userId() == tenant.id() && s.topics().contains(Topic.CREDITS)));
        long droppedBefore = sessions.droppedAsSlow();
        String padding = "x".repeat(4096);
        for (int i = 0; i < 20_000 && sessions.openFor(tenant.id()) > 0; i++) {
            events.publish(tenant.id(), Topic.CREDITS, Map.of("i", i, "padding", padding));
            assertThat(sessions.pendingHighWater(tenant.id())).isLessThanOrEqualTo(256);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sessions.openFor(tenant.id()) == 0);
        assertThat(sessions.droppedAsSlow()).isGreaterThan(droppedBefore);
    }
}
