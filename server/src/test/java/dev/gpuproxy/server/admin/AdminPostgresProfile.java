package dev.gpuproxy.server.admin;

import dev.gpuproxy.server.gpu.ProviderStubsResource;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The production shape for the operator console: PostgreSQL, the first admin, and two static GPU servers. */
public class AdminPostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class),
                new TestResourceEntry(ProviderStubsResource.class, Map.of("marketplaces", "false")));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return PostgresProfile.BASE;
    }
}
