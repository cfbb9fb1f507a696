package dev.gpuproxy.server.cluster;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class LeaseTablePostgresTest extends LeaseTableContract {
}
