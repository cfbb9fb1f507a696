package dev.gpuproxy.server.lb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.gpuproxy.server.gateway.GatewayProfile;
import dev.gpuproxy.server.lb.service.HealthChecker;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Strategy and loads endpoints, and active health checks, against live pools. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class LoadBalancerApiTest {

    static final UpstreamStub X = new UpstreamStub("x");
    static final UpstreamStub Y = new UpstreamStub("y");

    @Inject
    HealthChecker health;

    @AfterAll
    static void stop() {
        X.close();
        Y.close();
    }

    private static String pool(Api.Account admin, String... urls) {
        String name = "lbapi-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (String url : urls) {
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "kind", "openai", "url", url))
                    .post("/api/v1/admin/backends").then().statusCode(201);
        }
        return name;
    }

    private static String backendOf(String pool, String url) {
        return "data.find { it.pool == '" + pool + "' && it.url == '" + url + "' }";
    }

    @Test
    void onlyAnAdminChangesTheGlobalDefaultAndUnknownStrategiesListTheValidOnes() {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("lb-tenant");
        String pool = pool(admin, X.baseUrl());

        tenant.asUser().get("/api/v1/loadbalancer/strategy").then().statusCode(200)
                .body("valid", hasItem("least_response_time"));
        tenant.asUser().contentType(ContentType.JSON).body(Map.of("strategy", "least_connections", "pool", pool))
                .put("/api/v1/loadbalancer/strategy").then().statusCode(403);
        tenant.asUser().contentType(ContentType.JSON).body(Map.of("strategy", "fastest"))
                .put("/api/v1/loadbalancer/strategy").then().statusCode(400)
                .body("code", equalTo("unknown_strategy"))
                .body("detail", containsString("weighted_round_robin"));

        admin.asUser().contentType(ContentType.JSON).body(Map.of("strategy", "least_response_time", "pool", pool))
                .put("/api/v1/loadbalancer/strategy").then().statusCode(200)
                .body("strategy", equalTo("least_response_time"));
        admin.asUser().queryParam("pool", pool).get("/api/v1/loadbalancer/strategy").then()
                .body("strategy", equalTo("least_response_time"));
    }

    @Test
    void changingStrategyKeepsTheMeasuredState() {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("lb-state");
        String key = Api.createApiKey(tenant, "k");
        // Credits for the gateway call.
        admin.asUser().contentType(ContentType.JSON).body(Map.of("amount", "100", "reason", "test"))
                .post("/api/v1/admin/users/" + tenant.id() + "/credits").then().statusCode(201);
        String pool = pool(admin, X.baseUrl());
        given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body("{\"model\":\"" + pool + "\",\"messages\":[]}").post("/v1/chat/completions").then().statusCode(200);

        admin.asUser().contentType(ContentType.JSON).body(Map.of("strategy", "least_connections", "pool", pool))
                .put("/api/v1/loadbalancer/strategy").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().queryParam("pool", pool).get("/api/v1/loadbalancer/loads").then().statusCode(200)
                        .body("loads[0].pool_strategy", equalTo("least_connections"))
                        .body("loads[0].requests", equalTo(1)));
    }

    @Test
    void tenantsSeeGlobalLoadsWithoutUrlsAndAdminsSeeThem() {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("lb-loads");
        String pool = pool(admin, Y.baseUrl());
        tenant.asUser().queryParam("pool", pool).get("/api/v1/loadbalancer/loads").then().statusCode(200)
                .body("loads[0].pool", equalTo(pool))
                .body("loads[0].url", nullValue());
        admin.asUser().queryParam("pool", pool).get("/api/v1/loadbalancer/loads").then().statusCode(200)
                .body("loads[0].url", equalTo(Y.baseUrl()));
        tenant.asUser().queryParam("instance_id", "999999").get("/api/v1/loadbalancer/load").then().statusCode(404);
    }

    @Test
    void healthChecksEjectADeadBackendAndReadmitARecoveredOne() throws Exception {
        Api.Account admin = Api.admin();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + closedPort + "/v1";
        String pool = pool(admin, dead, X.baseUrl(), Y.baseUrl());
        X.reset();
        Y.failWith(503, "", Map.of());

        health.checkOnce().toCompletionStage().toCompletableFuture().get();
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(pool, dead) + ".ejected", equalTo(true))
                .body(backendOf(pool, Y.baseUrl()) + ".ejected", equalTo(true))
                .body(backendOf(pool, X.baseUrl()) + ".ejected", equalTo(false));
        assertThat(X.received()).anySatisfy(r -> assertThat(r.path()).isEqualTo("/health"));

        Y.reset();
        health.checkOnce().toCompletionStage().toCompletableFuture().get();
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(pool, Y.baseUrl()) + ".ejected", equalTo(false))
                .body(backendOf(pool, dead) + ".ejected", equalTo(true));
    }

    @Test
    void theLastHealthyBackendIsNeverEjectedByHealthChecks() throws Exception {
        Api.Account admin = Api.admin();
        UpstreamStub lonely = new UpstreamStub("lonely");
        try {
            lonely.failWith(500, "", Map.of());
            String pool = pool(admin, lonely.baseUrl());
            health.checkOnce().toCompletionStage().toCompletableFuture().get();
            admin.asUser().get("/api/v1/admin/backends").then()
                    .body(backendOf(pool, lonely.baseUrl()) + ".ejected", equalTo(false))
                    .body("data.pool", hasItem(pool))
                    .body(backendOf(pool, lonely.baseUrl()) + ".url", not(nullValue()));
        } finally {
            lonely.close();
        }
    }
}
