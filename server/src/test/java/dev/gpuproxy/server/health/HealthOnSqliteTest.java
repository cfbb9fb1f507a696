package dev.gpuproxy.server.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SqliteProfile.class)
class HealthOnSqliteTest extends HealthContract {

    @Override
    String expectedDatabase() {
        return "sqlite";
    }

    @Test
    void healthLeavesRedisOutWhenNotConfigured() {
        given().get("/health").then().statusCode(200).body("checks.redis", nullValue());
    }
}
