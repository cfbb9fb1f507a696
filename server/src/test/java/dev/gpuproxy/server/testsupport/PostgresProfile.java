package dev.gpuproxy.server.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The production shape: PostgreSQL and Redis. */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("server.max-body-size", "256K");
    }
}
