package dev.gpuproxy.server.identity.auth;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** SESSION_MODE=sql on PostgreSQL although Redis is configured. */
@QuarkusTest
@TestProfile(AuthFlowSqlSessionsOnPostgresTest.SqlSessions.class)
class AuthFlowSqlSessionsOnPostgresTest extends AuthFlowContract {

    public static class SqlSessions extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withBase(Map.of("session.mode", "sql"));
        }
    }
}
