package dev.gpuproxy.server.gpu;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(GpuPostgresProfile.class)
class GpuInstancesOnPostgresTest extends GpuInstancesContract {
}
