package dev.gpuproxy.server.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The `make run` shape: an embedded SQLite file and no Redis. */
public class SqliteProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SqliteResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("server.max-body-size", "256K");
    }
}
