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

    /**
     * Settings every test app shares: a small body limit, cheap bcrypt, a fixed JWT key tests can sign with, and no
     * practical limit on auth attempts from one address (every test client is 127.0.0.1; AuthThrottleTest sets its
     * own).
     */
    public static final Map<String, String> BASE = Map.of(
            "auth.attempts-per-ip", "100000",
            "server.max-body-size", "256K",
            "auth.bcrypt-cost", "4",
            "auth.jwt-secret", TestServices.JWT_SECRET,
            "auth.admin-email", TestServices.ADMIN_EMAIL,
            "auth.admin-password", TestServices.ADMIN_PASSWORD);

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
