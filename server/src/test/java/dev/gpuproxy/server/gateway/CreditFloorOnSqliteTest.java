package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** SQLite, one writer. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class CreditFloorOnSqliteTest extends CreditFloorContract {
}
