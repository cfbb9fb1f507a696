package dev.gpuproxy.server.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** PostgreSQL (the gateway tests' profile). */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class CreditFloorOnPostgresTest extends CreditFloorContract {
}
