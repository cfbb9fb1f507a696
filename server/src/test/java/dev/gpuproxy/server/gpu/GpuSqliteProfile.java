package dev.gpuproxy.server.gpu;

import dev.gpuproxy.server.testsupport.SqliteResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The `make run` shape with no marketplace account at all: SQLite and only the operator's two static GPU servers. */
public class GpuSqliteProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SqliteResource.class),
                new TestResourceEntry(ProviderStubsResource.class, Map.of("marketplaces", "false")));
    }
}
