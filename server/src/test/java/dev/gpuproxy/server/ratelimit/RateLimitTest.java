package dev.gpuproxy.server.ratelimit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Per-user limits through the API, and exactness of the Redis buckets under concurrency. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class RateLimitTest {

    @Inject
    OptionalRedis redis;

    @Test
    void userOverTheirLimitGets429WithRetryAfterAndHeaders() {
        Api.Account admin = Api.admin();
        Api.Account user = Api.registerAndLogin("limited");
        String key = Api.createApiKey(user, "k");
        admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 3))
                .patch("/api/v1/admin/users/" + user.id()).then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).untilAsserted(() ->
                given().header("X-API-Key", key).get("/api/v1/user/me").then()
                        .header("X-RateLimit-Limit", "3"));

        int status = 200;
        for (int i = 0; i < 4 && status == 200; i++) {
            status = given().header("X-API-Key", key).get("/api/v1/user/me").statusCode();
        }
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(429)
                .contentType("application/problem+json")
                .body("code", equalTo("rate_limited"))
                .body("detail", containsString("3 requests per minute"))
                .header("Retry-After", notNullValue())
                .header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", notNullValue());
        // Another user is not affected.
        Api.registerAndLogin("unlimited").asUser().get("/api/v1/user/me").then().statusCode(200)
                .header("X-RateLimit-Limit", "100");
    }

    @Test
    void twoLimitersSharingRedisNeverAllowMoreThanTheBucketHolds() throws Exception {
        RedisRateLimiter first = new RedisRateLimiter(redis.dataSource().orElseThrow(), redis::key);
        RedisRateLimiter second = new RedisRateLimiter(redis.dataSource().orElseThrow(), redis::key);
        String bucket = "exactness:" + UUID.randomUUID();
        int perMinute = 30;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long started = System.nanoTime();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RedisRateLimiter limiter = i % 2 == 0 ? first : second;
            Callable<Boolean> call = () -> limiter.acquire(bucket, perMinute).await().indefinitely().allowed();
            results.add(pool.submit(call));
        }
        int allowed = 0;
        for (Future<Boolean> result : results) {
            allowed += result.get() ? 1 : 0;
        }
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        // Capacity, plus whatever refilled while the test ran (half a token per second at 30/min).
        assertThat(allowed).isGreaterThanOrEqualTo(perMinute)
                .isLessThanOrEqualTo(perMinute + (int) Math.floor(elapsedSeconds * perMinute / 60.0));
    }
}
