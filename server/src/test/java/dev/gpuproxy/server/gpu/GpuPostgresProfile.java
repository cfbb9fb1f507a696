package dev.gpuproxy.server.gpu;

import dev.gpuproxy.server.testsupport.PostgresResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** PostgreSQL and Redis, with vast.ai and io.net stand-ins and two static GPU servers. */
public class GpuPostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(ProviderStubsResource.class));
    }
}
