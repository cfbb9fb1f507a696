package dev.gpuproxy.server.identity.auth;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** PostgreSQL with Redis configured: SESSION_MODE defaults to balanced. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AuthFlowBalancedTest extends AuthFlowContract {
}
