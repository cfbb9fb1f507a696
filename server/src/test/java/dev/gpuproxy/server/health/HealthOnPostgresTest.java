package dev.gpuproxy.server.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class HealthOnPostgresTest extends HealthContract {

    @Override
    String expectedDatabase() {
        return "postgres";
    }

    @Test
    void healthIncludesRedisWhenConfigured() {
        given().get("/health").then().statusCode(200).body("checks.redis.status", equalTo("up"));
    }
}
