package dev.gpuproxy.server.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.DedicatedRedis;
import dev.gpuproxy.server.testsupport.PostgresTestDatabase;
import dev.gpuproxy.server.testsupport.ServerProcess;
import dev.gpuproxy.server.testsupport.TestServices;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packaged replicas on one PostgreSQL and one Redis, as operators run them: singleton jobs run on one replica and move
 * when it dies, SIGTERM drains streams in flight and charges them, readiness flips at SIGTERM, and a Redis outage
 * leaves requests working.
 */
class ClusterIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final String ADMIN_EMAIL = "cluster-admin@example.test";
    private static final String ADMIN_PASSWORD = "cluster-admin-password-1";
    private static final List<String> SINGLETONS = List.of("autopilot", "crypto-recheck", "gpu-instance-poller",
            "gpu-reservations");

    @TempDir
    Path workDir;

    private PostgresTestDatabase database;
    private DedicatedRedis redis;
    private UpstreamStub upstream;
    private final List<ServerProcess> replicas = new ArrayList<>();

    @BeforeEach
    void sharedServices() {
        database = PostgresTestDatabase.create("cluster");
        redis = new DedicatedRedis();
        redis.start();
        upstream = new UpstreamStub("vllm");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ServerProcess replica : replicas) {
            replica.close();
        }
        upstream.close();
        redis.stop();
        database.close();
    }

    @Test
    void eachSingletonJobRunsOnOneReplicaAndMovesWhenItsReplicaIsKilled() throws Exception {
        ServerProcess first = startReplica("r1");
        ServerProcess second = startReplica("r2");
        String admin = adminToken(first);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath cluster = cluster(first, admin);
            assertThat(cluster.getList("replicas.findAll { it.alive }.id")).containsExactlyInAnyOrder("r1", "r2");
            assertThat(cluster.getList("jobs.job")).containsAll(SINGLETONS);
            assertThat(cluster.getList("jobs.holder")).allMatch(h -> "r1".equals(h) || "r2".equals(h));
        });
        String pollerHolder = cluster(second, admin).getString("jobs.find { it.job == 'gpu-instance-poller' }.holder");
        ServerProcess holder = pollerHolder.equals("r1") ? first : second;
        ServerProcess other = holder == first ? second : first;
        String otherId = pollerHolder.equals("r1") ? "r2" : "r1";
        // Exactly one replica ever took the poller's lease: the other one never ran a round.
        assertThat(holder.output()).contains("now runs singleton job gpu-instance-poller");
        assertThat(other.output()).doesNotContain("now runs singleton job gpu-instance-poller");

        // The admin overview counts upstream traffic of the whole service, whichever replica answers.
        String apiKey = fundedApiKey(first);
        for (ServerProcess replica : List.of(first, first, first, second, second)) {
            chat(replica, apiKey);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(given().baseUri(first.baseUrl()).header("Authorization", "Bearer " + admin)
                        .get("/api/v1/admin/stats").then().statusCode(200).extract().jsonPath()
                        .getLong("traffic.upstream_requests")).isEqualTo(5));

        holder.kill();

        // TTL 3 s + renewal 1 s: the survivor takes every job over within seconds, without any shutdown hand-over.
        Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(cluster(other, admin).getList("jobs.holder")).hasSize(SINGLETONS.size())
                        .allMatch(otherId::equals));
        assertThat(other.output()).contains("Replica " + otherId + " now runs singleton job gpu-instance-poller");
        assertThat(cluster(other, admin).getList("replicas.findAll { it.alive }.id")).containsExactly(otherId);
    }

    @Test
    void sigtermFinishesEveryStreamInFlightChargesThemAndReportsNotReadyAtOnce() throws Exception {
        upstream.mode(UpstreamStub.Mode.SLOW_STREAM); // 200 chunks 50 ms apart: a 10 s answer
        ServerProcess replica = startReplica("r1", Map.of("SHUTDOWN_DELAY", "4s"));
        String apiKey = fundedApiKey(replica);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(get(client, replica.baseUrl() + "/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(client, replica.baseUrl() + "/health").statusCode()).isEqualTo(200);
        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            streams.add(client.sendAsync(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(1_400);
        assertThat(streams).noneMatch(CompletableFuture::isDone);

        replica.terminate();

        // Not ready at once (within SHUTDOWN_DELAY, 4 s here), while the streams keep flowing.
        Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(get(client, replica.baseUrl() + "/q/health/ready").statusCode()).isEqualTo(503);
            HttpResponse<String> health = get(client, replica.baseUrl() + "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"draining\"");
        });

        for (CompletableFuture<HttpResponse<String>> stream : streams) {
            HttpResponse<String> response = stream.get(40, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("tok199 ").endsWith("data: [DONE]\n\n");
        }
        // 143: the JVM's status after SIGTERM once the shutdown hooks have run.
        assertThat(replica.awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
        assertThat(replica.output()).contains("gpuproxyd stopped in")
                .doesNotContain("Timed out waiting for graceful shutdown");

        // Metering was flushed after the streams: all 10, at the upstream's usage (7 in, 5 out each).
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), TestServices.postgresUser(),
                TestServices.postgresPassword());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT SUM(requests), SUM(tokens_in), SUM(tokens_out) FROM usage_sessions")) {
            row.next();
            assertThat(row.getLong(1)).isEqualTo(10);
            assertThat(row.getLong(2)).isEqualTo(70);
            assertThat(row.getLong(3)).isEqualTo(50);
        }
    }

    @Test
    void redisStoppedKeepsRequestsWorkingWithReadinessUpAndHealthDegraded() throws Exception {
        ServerProcess replica = startReplica("r1");
        String apiKey = fundedApiKey(replica);

        redis.stop();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> health = get(client, replica.baseUrl() + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"degraded\"");
        });
        assertThat(get(client, replica.baseUrl() + "/q/health/ready").statusCode()).isEqualTo(200);
        chat(replica, apiKey);
    }

    private static void chat(ServerProcess replica, String apiKey) {
        given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON)
                .body("{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
    }

    private ServerProcess startReplica(String id) throws Exception {
        return startReplica(id, Map.of());
    }

    private ServerProcess startReplica(String id, Map<String, String> overrides) throws Exception {
        Path backends = workDir.resolve("backends.yaml");
        Files.writeString(backends, "pools:\n  - name: llama\n    backends:\n      - {kind: openai, url: "
                + upstream.baseUrl() + "}\n");
        Path home = Files.createDirectories(workDir.resolve(id));
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_TYPE", "postgres",
                "DB_HOST", TestServices.postgresHost(),
                "DB_PORT", String.valueOf(TestServices.postgresPort()),
                "DB_USER", TestServices.postgresUser(),
                "DB_PASSWORD", TestServices.postgresPassword(),
                "DB_NAME", database.name(),
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", String.valueOf(redis.port()),
                "CLUSTER_REPLICA_ID", id,
                "BACKENDS_FILE", backends.toString()));
        env.putAll(Map.of(
                "CLUSTER_LEASE_TTL", "3s",
                "CLUSTER_LEASE_RENEW", "1s",
                "SHUTDOWN_DELAY", "1s",
                "SHUTDOWN_DRAIN_TIMEOUT", "30s",
                "JWT_SECRET", "cluster-it-shared-secret-of-32-bytes-or-more",
                "ADMIN_EMAIL", ADMIN_EMAIL,
                "ADMIN_PASSWORD", ADMIN_PASSWORD,
                "GPU_POLL_INTERVAL", "1s"));
        env.put("ADMIN_TRAFFIC_SAMPLE_INTERVAL", "1s");
        env.putAll(overrides);
        ServerProcess replica = ServerProcess.start(home, env);
        replicas.add(replica);
        replica.awaitHealthy(STARTUP);
        return replica;
    }

    private static String adminToken(ServerProcess replica) {
        return given().baseUri(replica.baseUrl()).contentType(ContentType.JSON)
                .body(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath()
                .getString("tokens.access_token");
    }

    private static JsonPath cluster(ServerProcess replica, String adminToken) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + adminToken)
                .get("/api/v1/admin/cluster").then().statusCode(200).extract().jsonPath();
    }

    /** A tenant with 1,000 credits and an API key, made through the admin API. */
    private static String fundedApiKey(ServerProcess replica) {
        String admin = adminToken(replica);
        long id = given().baseUri(replica.baseUrl()).contentType(ContentType.JSON)
                .body(Map.of("email", "tenant@example.test", "password", "tenant-password-123", "name", "tenant"))
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath().getLong("user.id");
        given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("amount", 1000, "kind", "grant", "reason", "cluster test"))
                .post("/api/v1/admin/users/" + id + "/credits").then().statusCode(201);
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON).body(Map.of("name", "cluster"))
                .post("/api/v1/admin/users/" + id + "/apikeys").then().statusCode(201)
                .extract().jsonPath().getString("api_key");
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
