package dev.gpuproxy.server.autopilot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The autopilot end to end, against the vast.ai stand-in whose instances are real local model servers: an empty pool
 * serves its first request by renting a GPU while the request waits; a burst scales it to max; a GPU preempted in the
 * middle of the burst costs no client an error (its requests are replayed elsewhere) and is replaced; when traffic
 * stops, every GPU is released and the pool is back to zero. Every rental is an ordinary instance of the operator.
 */
@QuarkusTest
@TestProfile(AutopilotProfile.class)
class AutopilotScalingTest {

    private static final VastStandIn VAST = AutopilotProfile.VAST;

    @Inject
    CreditService credits;

    @AfterAll
    static void stopModelServers() {
        VAST.reset();
    }

    private static String chat(String prompt) {
        return "{\"model\":\"" + AutopilotProfile.POOL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt
                + "\"}],\"max_tokens\":64}";
    }

    private void fund(long userId) {
        credits.add(userId, CreditService.Kind.GRANT, Credits.parse(new BigDecimal("100000"), "grant"), "test",
                "autopilot-test:" + UUID.randomUUID());
    }

    private static JsonPath autoscale(Api.Account admin) {
        List<Map<String, Object>> pools = admin.asUser().get("/api/v1/admin/pools").then().statusCode(200)
                .extract().jsonPath().getList("data");
        Map<String, Object> pool = pools.stream().filter(p -> AutopilotProfile.POOL.equals(p.get("name"))).findFirst()
                .orElseThrow();
        return JsonPath.from(toJson(pool.get("autoscale")));
    }

    /** The operator's instances as the instance API lists them: every GPU rented for the global pool. */
    private static JsonPath operatorInstances(Api.Account admin) {
        return admin.asUser().queryParam("include_ended", "true").get("/api/v1/gpu/instances/mine").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String toJson(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rentsFromZeroScalesToMaxSurvivesAPreemptionAndReturnsToZero() throws Exception {
        Api.Account admin = Api.admin();
        fund(admin.id());
        Api.Account tenant = Api.registerAndLogin("autopilot-tenant");
        fund(tenant.id());
        // The burst is several hundred requests within a minute: above the default per-user limit, which is not what
        // this test is about.
        admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 1_000_000))
                .patch("/api/v1/admin/users/" + tenant.id()).then().statusCode(200);
        String key = Api.createApiKey(tenant, "autopilot");

        JsonPath before = autoscale(admin);
        assertThat(before.getInt("running")).isZero();
        assertThat(before.getInt("starting")).isZero();
        assertThat(before.getInt("policy.max")).isEqualTo(3);
        assertThat(before.getString("policy.launch.env.HF_TOKEN")).as("secrets are not shown").isEqualTo("***");
        assertThat(VAST.launches()).isZero();

        // 1. No GPU: the first request waits while one is rented and becomes ready, and then succeeds.
        Response first = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(chat("hello")).post("/v1/chat/completions");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(first.jsonPath().getString("choices[0].message.content")).startsWith("served by ");
        assertThat(VAST.launches()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> autoscale(admin).getInt("running") == 1);
        // The cheapest eligible offer was rented, on the operator's account, as an ordinary instance.
        JsonPath rented = operatorInstances(admin);
        assertThat(rented.getList("instances")).hasSize(1);
        assertThat(rented.getString("instances[0].offer_id")).isEqualTo("502");
        assertThat(new BigDecimal(rented.getString("instances[0].price_per_hour"))).isEqualByComparingTo("0.31");

        // 2. A burst: eight clients back to back, four times the target of two per GPU.
        AtomicBoolean stop = new AtomicBoolean();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int c = 0; c < 8; c++) {
            int client = c;
            clients.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    Response r = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                            .body(chat("burst " + client + "/" + n++)).post("/v1/chat/completions");
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.asString());
                    }
                }
            });
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> VAST.running().size() == 3
                    && autoscale(admin).getInt("running") == 3);
            assertThat(VAST.launches()).as("never beyond max").isEqualTo(3);

            // 3. One GPU is preempted mid-burst: its model server dies with requests in flight.
            VastStandIn.Rented victim = VAST.running().get(0);
            int launchesBefore = VAST.launches();
            VAST.preempt(victim);
            await().atMost(Duration.ofSeconds(20)).until(() -> VAST.launches() > launchesBefore
                    && VAST.running().size() == 3 && autoscale(admin).getInt("running") == 3);
            assertThat(VAST.live()).as("the preempted instance was destroyed").doesNotContain(victim);
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).as("client-visible errors").isEmpty();
        assertThat(statuses.getOrDefault(200, 0)).isGreaterThan(20);

        // 4. Idle: every GPU is released after idle_release, and the pool is back to zero.
        // (The stand-in forgets an instance when it answers the DELETE; the rental is closed just after.)
        await().atMost(Duration.ofSeconds(30)).until(() -> VAST.live().isEmpty()
                && autoscale(admin).getInt("running") == 0 && autoscale(admin).getInt("starting") == 0);
        JsonPath after = autoscale(admin);
        List<String> actions = after.getList("decisions.action");
        assertThat(actions).contains("rent", "lost", "release");
        List<String> reasons = after.getList("decisions.reason");
        assertThat(reasons).anyMatch(r -> r.contains("scale from zero"));
        assertThat(reasons).anyMatch(r -> r.contains("replacing 1 lost GPU"));
        assertThat(reasons).anyMatch(r -> r.contains("idle for at least"));
        JsonPath all = operatorInstances(admin);
        assertThat(all.getList("instances")).hasSize(VAST.launches());
        assertThat(all.getList("instances.ended_at")).doesNotContainNull();
        // The expensive offer (0.90 $/h, over max_price) was never rented.
        assertThat(all.getList("instances.offer_id", String.class)).doesNotContain("504");
    }
}
