package dev.gpuproxy.server.identity.auth;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** SESSION_MODE=sql on the embedded SQLite database (no Redis). */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class AuthFlowOnSqliteTest extends AuthFlowContract {
}
