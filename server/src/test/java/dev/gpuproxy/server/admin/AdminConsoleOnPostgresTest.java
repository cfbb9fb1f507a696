package dev.gpuproxy.server.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The operator console on PostgreSQL. */
@QuarkusTest
@TestProfile(AdminPostgresProfile.class)
class AdminConsoleOnPostgresTest extends AdminConsoleContract {
}
