package dev.gpuproxy.server.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The operator console on SQLite (the `make run` database). */
@QuarkusTest
@TestProfile(AdminSqliteProfile.class)
class AdminConsoleOnSqliteTest extends AdminConsoleContract {
}
