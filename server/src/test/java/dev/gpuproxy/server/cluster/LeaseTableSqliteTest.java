package dev.gpuproxy.server.cluster;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SqliteProfile.class)
class LeaseTableSqliteTest extends LeaseTableContract {
}
