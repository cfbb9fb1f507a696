package dev.gpuproxy.server.admin;

import dev.gpuproxy.server.gpu.ProviderStubsResource;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.SqliteResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The `make run` shape for the operator console: SQLite, the first admin, and the operator's two static GPU servers. */
public class AdminSqliteProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SqliteResource.class),
                new TestResourceEntry(ProviderStubsResource.class, Map.of("marketplaces", "false")));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return PostgresProfile.BASE;
    }
}
