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

    public static final Map<String, String> BASE = PostgresProfile.BASE;

    @Override
    public Map<String, String> getConfigOverrides() {
        return BASE;
    }

    /** The base settings plus a subclass's own. */
    protected static Map<String, String> withBase(Map<String, String> extra) {
        Map<String, String> merged = new java.util.HashMap<>(BASE);
        merged.putAll(extra);
        return merged;
    }
}
