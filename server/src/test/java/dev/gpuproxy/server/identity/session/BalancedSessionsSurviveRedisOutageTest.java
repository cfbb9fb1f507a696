package dev.gpuproxy.server.identity.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.DedicatedRedis;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** SESSION_MODE=balanced keeps working with Redis stopped, and repairs Redis when it is back. */
@QuarkusTest
@TestProfile(BalancedSessionsSurviveRedisOutageTest.OwnRedis.class)
class BalancedSessionsSurviveRedisOutageTest {

    static final DedicatedRedis REDIS = new DedicatedRedis();

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

    @Inject
    OptionalRedis redis;

    @Inject
    BalancedSessionStore sessions;

    @Test
    void loginRefreshAndLogoutKeepWorkingWhileRedisIsDownAndRedisIsRepairedAfter() {
        Api.Account before = Api.registerAndLogin("outage");
        assertThat(redisHasSession(before.refreshToken())).isTrue();

        REDIS.stop();
        try {
            before.asUser().get("/api/v1/user/me").then().statusCode(200);
            String rotated = given().contentType(ContentType.JSON)
                    .body(Map.of("refresh_token", before.refreshToken()))
                    .post("/api/v1/auth/refresh").then().statusCode(200)
                    .extract().jsonPath().getString("tokens.refresh_token");
            Api.Account during = Api.login(before.id(), before.email());
            during.asUser().get("/api/v1/user/me").then().statusCode(200);
            assertThat(sessions.redisBypassed()).isTrue();

            REDIS.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !sessions.redisBypassed()
                    && redisHasSession(during.refreshToken()) && redisHasSession(rotated));

            // The copy in Redis carries the rotation made during the outage: the rotated token works, the old is stale.
            given().contentType(ContentType.JSON).body(Map.of("refresh_token", rotated))
                    .post("/api/v1/auth/refresh").then().statusCode(200);
        } finally {
            REDIS.start();
        }
    }

    private boolean redisHasSession(String refreshToken) {
        String sessionId = refreshToken.substring(0, refreshToken.indexOf('.'));
        try {
            return redis.dataSource().orElseThrow().key().exists(redis.key("session:" + sessionId))
                    .await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
