package dev.gpuproxy.server.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.DedicatedRedis;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Redis that hangs (SIGSTOP: connections open, no answers) costs requests no waiting: the circuit breaker sends
 * rate limits to memory and balanced sessions to SQL at once, and /health says degraded with 200.
 */
@QuarkusTest
@TestProfile(HungRedisTest.OwnRedis.class)
class HungRedisTest {

    static final DedicatedRedis REDIS = new DedicatedRedis();
    /** Generous for a loaded build machine: a hung Redis used to add its 2 s timeout to every request. */
    private static final long FAST_MILLIS = 1_000;

    public static class OwnRedis extends PostgresProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresWithOwnRedis.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return withBase(Map.of("session.mode", "balanced"));
        }
    }

    public static class PostgresWithOwnRedis implements QuarkusTestResourceLifecycleManager {
        private final PostgresResource postgres = new PostgresResource();

        @Override
        public Map<String, String> start() {
            REDIS.start();
            Map<String, String> config = new HashMap<>(postgres.start());
            config.put("redis.port", String.valueOf(REDIS.port()));
            return config;
        }

        @Override
        public void stop() {
            postgres.stop();
            REDIS.stop();
        }
    }

    @Test
    void requestsStayFastAndHealthSaysDegradedWhileRedisHangs() {
        Api.Account user = Api.registerAndLogin("hung");
        String key = Api.createApiKey(user, "hung");
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));

        REDIS.hang();
        try {
            for (int i = 0; i < 10; i++) {
                assertFast(() -> user.asUser().get("/api/v1/user/me").then().statusCode(200));
                assertFast(() -> given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200));
                assertFast(() -> given().header("Authorization", "Bearer " + key).get("/v1/models").then()
                        .statusCode(200));
            }
            assertFast(() -> given().get("/health").then().statusCode(200)
                    .body("status", equalTo("degraded"))
                    .body("checks.database.status", equalTo("up"))
                    .body("checks.redis.status", equalTo("down")));
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            REDIS.resume();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/health").then().statusCode(200).body("status", equalTo("ok")));
    }

    private static void assertFast(Runnable request) {
        long started = System.nanoTime();
        request.run();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(FAST_MILLIS);
    }
}
