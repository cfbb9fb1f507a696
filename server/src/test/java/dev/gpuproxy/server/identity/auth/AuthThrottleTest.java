package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Password guessing and sign-up abuse meet 429 with Retry-After: per account (from any address) and per address.
 * Every request here comes from 127.0.0.1, so each test uses an endpoint bucket of its own.
 */
@QuarkusTest
@TestProfile(AuthThrottleTest.Limits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthThrottleTest {

    /** High enough for the logins and sign-ups the account tests make before the per-address tests use it up. */
    static final int PER_IP = 40;
    static final int PER_ACCOUNT = 5;

    public static class Limits extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withBase(Map.of("auth.attempts-per-ip", String.valueOf(PER_IP),
                    "auth.failures-per-account", String.valueOf(PER_ACCOUNT)));
        }
    }

    private static Response login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/v1/auth/login");
    }

    @Test
    void wrongPasswordsForOneAccountMeet429WithRetryAfterAndTheRightOneWaitsToo() {
        Api.Account victim = Api.registerAndLogin("victim");
        for (int i = 0; i < PER_ACCOUNT; i++) {
            login(victim.email(), "wrong-guess-" + i).then().statusCode(401);
        }
        Response refused = login(victim.email(), "wrong-guess-last");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("too_many_attempts"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        // Guessing right now does not help: the account waits, whatever the password.
        login(victim.email(), Api.PASSWORD).then().statusCode(429);
    }

    @Test
    void aSuccessfulLoginForgivesEarlierFailures() {
        Api.Account user = Api.registerAndLogin("forgetful");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < PER_ACCOUNT - 2; i++) {
                login(user.email(), "typo-" + i).then().statusCode(401);
            }
            login(user.email(), Api.PASSWORD).then().statusCode(200);
        }
    }

    // The per-address tests empty their endpoint's bucket for this address: they run after the tests that sign up.
    // The bucket refills continuously (PER_IP a minute), so a slow machine needs a few more than PER_IP attempts; twice
    // as many, sent well within the minute, always meet the limit.
    @Test
    @Order(Integer.MAX_VALUE)
    void registrationsFromOneAddressMeet429() {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 2 * PER_IP && !statuses.contains(429); i++) {
            last = given().contentType(ContentType.JSON)
                    .body(Map.of("email", Api.uniqueEmail("bulk"), "password", Api.PASSWORD, "name", "bulk"))
                    .post("/api/v1/auth/register");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).endsWith(429).doesNotContain(500);
        assertThat(last.header("Retry-After")).isNotBlank();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void refreshAttemptsFromOneAddressMeet429() {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 2 * PER_IP && !statuses.contains(429); i++) {
            last = given().contentType(ContentType.JSON)
                    .body(Map.of("refresh_token", "00000000-0000-0000-0000-000000000000.guess" + i))
                    .post("/api/v1/auth/refresh");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).endsWith(429).containsOnly(401, 429);
        assertThat(last.header("Retry-After")).isNotBlank();
    }
}
