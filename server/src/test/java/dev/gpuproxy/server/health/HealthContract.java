package dev.gpuproxy.server.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.gpuproxy.server.testsupport.Api;
import org.junit.jupiter.api.Test;

/** The health and observability endpoints, run once per database kind by the subclasses. */
abstract class HealthContract {

    abstract String expectedDatabase();

    @Test
    void healthReportsOkWithTheActiveDatabase() {
        given().get("/health").then()
                .statusCode(200)
                .body("status", equalTo("ok"))
                .body("timestamp", notNullValue())
                .body("checks.database.status", equalTo("up"))
                .body("checks.database.detail", equalTo(expectedDatabase()));
    }

    @Test
    void readinessIncludesTheDatabaseCheck() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"));
    }

    @Test
    void livenessAnswers() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreForAdminsOnly() {
        given().get("/q/metrics").then().statusCode(401);
        Api.registerAndLogin("metrics").asUser().get("/q/metrics").then().statusCode(403);
        Api.admin().asUser().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentListsTheHealthPath() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/health"));
    }
}
