package dev.gpuproxy.server.identity.auth;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** SESSION_MODE=redis: sessions only in Redis. */
@QuarkusTest
@TestProfile(AuthFlowRedisSessionsTest.RedisSessions.class)
class AuthFlowRedisSessionsTest extends AuthFlowContract {

    public static class RedisSessions extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withBase(Map.of("session.mode", "redis"));
        }
    }
}
