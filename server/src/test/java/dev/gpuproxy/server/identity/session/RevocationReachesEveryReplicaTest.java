package dev.gpuproxy.server.identity.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.IdentityProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SESSION_MODE=balanced with two replicas on one database and one Redis: replica A cannot reach Redis, so its logout
 * reaches SQL only (what {@link BalancedSessionStore#revoke} does with its circuit open); replica B, this app, still
 * has the active copy in Redis and must refuse the session anyway.
 */
@QuarkusTest
@TestProfile(IdentityProfile.class)
class RevocationReachesEveryReplicaTest {

    @Inject
    SqlSessionStore sql;
    @Inject
    OptionalRedis redis;

    @Test
    void aSessionRevokedInSqlAloneIsRefusedByAReplicaWhoseRedisStillHoldsIt() {
        Api.Account user = Api.registerAndLogin("replicas");
        user.asUser().get("/api/v1/user/me").then().statusCode(200);
        String sessionId = user.refreshToken().substring(0, user.refreshToken().indexOf('.'));
        assertThat(redisHasActiveCopy(sessionId)).isTrue();

        // Replica A, Redis unreachable from it, logs the session out: SQL only.
        sql.revoke(sessionId, Instant.now());

        assertThat(redisHasActiveCopy(sessionId)).as("Redis still holds the active copy").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                user.asUser().get("/api/v1/user/me").then().statusCode(401));
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", user.refreshToken()))
                .post("/api/v1/auth/refresh").then().statusCode(401);
    }

    private boolean redisHasActiveCopy(String sessionId) {
        var hash = redis.dataSource().orElseThrow().hash(String.class)
                .hgetall(redis.key("session:" + sessionId)).await().atMost(Duration.ofSeconds(2));
        return hash.containsKey("hash") && !hash.containsKey("revoked");
    }
}
