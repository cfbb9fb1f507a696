package dev.gpuproxy.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.common.redis.RedisCircuit;
import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import io.vertx.core.Future;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's form of a rate-limit acquisition, without Redis: decided in memory before it returns. */
class RateLimitServiceTest {

    @Test
    void withoutRedisTheGatewaysDecisionIsMadeBeforeAcquireReturns() {
        AuthConfig config = mock(AuthConfig.class);
        when(config.rateLimitPerMinute()).thenReturn(2);
        OptionalRedis noRedis = mock(OptionalRedis.class);
        when(noRedis.dataSource()).thenReturn(Optional.empty());
        RateLimitService limits = new RateLimitService(config, noRedis, mock(RedisCircuit.class));
        UserSnapshot user = new UserSnapshot(7, "a@example.com", "user", true, null, null, null, null);
        UserSnapshot other = new UserSnapshot(8, "b@example.com", "user", true, 1, null, null, null);

        Future<RateLimitDecision> first = limits.acquireFuture(user);
        // Complete at once: admission goes on inline, with no subscription or thread hop per request.
        assertThat(first.isComplete()).isTrue();
        assertThat(first.result().allowed()).isTrue();
        assertThat(first.result().limit()).isEqualTo(2);
        assertThat(limits.acquireFuture(user).result().allowed()).isTrue();
        assertThat(limits.acquireFuture(user).result().allowed()).as("over the limit of 2").isFalse();
        // Buckets are per user, with each user's own limit.
        assertThat(limits.acquireFuture(other).result().allowed()).isTrue();
        assertThat(limits.acquireFuture(other).result().allowed()).isFalse();
    }
}
