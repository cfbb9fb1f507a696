package dev.gpuproxy.server.autopilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Declaring autoscale through the admin API: checked, stored, shown (secrets masked), changed and removed. */
@QuarkusTest
@TestProfile(AutopilotProfile.class)
class AutoscaleAdminApiTest {

    private static Map<String, Object> autoscale(int min, int max) {
        return Map.of("provider", "vastai", "min", min, "max", max, "target_in_flight", 3, "idle_release", "5m",
                "launch", Map.of("image", "vllm/vllm-openai:latest", "port", 8000, "env", Map.of("HF_TOKEN", "hf_secret")));
    }

    @Test
    void aPoolCreatedWithAutoscaleShowsItsStateAndCanStopScaling() {
        Api.Account admin = Api.admin();
        String name = "api-auto-" + UUID.randomUUID().toString().substring(0, 6);

        long id = admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("name", name, "strategy", "cost_per_token", "autoscale", autoscale(0, 2)))
                .post("/api/v1/admin/pools").then().statusCode(201)
                .extract().jsonPath().getLong("id");

        String pools = admin.asUser().get("/api/v1/admin/pools").then().statusCode(200).extract().asString();
        assertThat(pools).doesNotContain("hf_secret");
        admin.asUser().get("/api/v1/admin/pools").then()
                .body("data.find { it.name == '" + name + "' }.strategy", equalTo("cost_per_token"))
                .body("data.find { it.name == '" + name + "' }.autoscale.running", equalTo(0))
                .body("data.find { it.name == '" + name + "' }.autoscale.starting", equalTo(0))
                .body("data.find { it.name == '" + name + "' }.autoscale.policy.max", equalTo(2))
                .body("data.find { it.name == '" + name + "' }.autoscale.policy.launch.env.HF_TOKEN", equalTo("***"));

        admin.asUser().contentType(ContentType.JSON).body(autoscale(0, 5))
                .put("/api/v1/admin/pools/" + id + "/autoscale").then().statusCode(200)
                .body("autoscale.policy.max", equalTo(5));

        admin.asUser().delete("/api/v1/admin/pools/" + id + "/autoscale").then().statusCode(200);
        admin.asUser().get("/api/v1/admin/pools").then()
                .body("data.find { it.name == '" + name + "' }.autoscale", nullValue());
        admin.asUser().delete("/api/v1/admin/pools/" + id).then().statusCode(204);
    }

    @Test
    void anImpossibleDeclarationIsA400ThatSaysWhy() {
        Api.Account admin = Api.admin();
        admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "bad-auto-" + UUID.randomUUID().toString().substring(0, 6),
                        "autoscale", autoscale(3, 2)))
                .post("/api/v1/admin/pools").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("0 <= min <= max"));
    }

    @Test
    void onlyAnAdminDeclaresAutoscale() {
        Api.Account tenant = Api.registerAndLogin("not-admin");
        tenant.asUser().contentType(ContentType.JSON).body(autoscale(0, 2))
                .put("/api/v1/admin/pools/1/autoscale").then().statusCode(403);
    }
}
