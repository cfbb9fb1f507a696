package dev.gpuproxy.server.gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/user/export} on SQLite (the {@code make run} database), whose timestamps, booleans and money
 * columns are stored differently from PostgreSQL's: the same document, a page boundary crossed, no secret.
 */
@QuarkusTest
@TestProfile(GpuSqliteProfile.class)
@TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
class AccountExportOnSqliteTest {

    private static final long A = Long.parseLong(GpuTestData.TENANT_A);

    @Inject
    GpuTestData data;

    @Inject
    ExportTestRows rows;

    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void fresh() {
        data.reset();
    }

    @Test
    void theExportReadsEveryTableOnSqlite() throws Exception {
        rows.usage(A, 501);
        rows.session(A, "refresh-hash-must-not-leak");
        rows.payment(A, "{\"client_secret\": \"pi_secret_must_not_leak\"}");
        String instance = given().post("/api/v1/gpu/instances/static/a100-fra-1").then().statusCode(201)
                .extract().path("provider_instance_id");

        String body = given().get("/api/v1/user/export").then().statusCode(200).extract().asString();
        JsonNode export = mapper.readTree(body);

        assertThat(export.path("usage")).hasSize(501);
        assertThat(Instant.parse(export.path("usage").get(500).path("started_at").asText()))
                .isEqualTo(Instant.parse("2026-01-05T10:08:21Z"));
        assertThat(export.path("wallet").path("credits_auto_renew").isBoolean()).isTrue();
        assertThat(export.path("ledger").findValuesAsText("kind")).contains("grant");
        assertThat(export.path("payments").get(0).path("credits").decimalValue()).isEqualByComparingTo("20");
        assertThat(export.path("instances").get(0).path("price_per_hour").decimalValue()).isEqualByComparingTo("1.10");
        assertThat(Instant.parse(export.path("instances").get(0).path("created_at").asText())).isNotNull();
        assertThat(export.path("sessions").get(0).path("user_agent").asText()).isEqualTo("curl/8.5");
        assertThat(body).doesNotContain("refresh-hash-must-not-leak").doesNotContain("pi_secret_must_not_leak");

        given().delete("/api/v1/gpu/instances/static/" + instance).then().statusCode(200);
    }
}
