package dev.gpuproxy.server.testsupport;

/** Where the real PostgreSQL and Redis used by tests live (loopback defaults, overridable by environment). */
public final class TestServices {

    /** The JWT signing key of every test app, so tests can forge tokens with it (expired, other claims). */
    public static final String JWT_SECRET = "test-only-jwt-secret-0123456789abcdef";

    /** The first admin every test app creates at start (ADMIN_EMAIL / ADMIN_PASSWORD). */
    public static final String ADMIN_EMAIL = "admin@gpuproxy.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private TestServices() {
    }

    public static String postgresHost() {
        return env("TEST_PG_HOST", "127.0.0.1");
    }

    public static int postgresPort() {
        return Integer.parseInt(env("TEST_PG_PORT", "5432"));
    }

    public static String postgresUser() {
        return env("TEST_PG_USER", "postgres");
    }

    public static String postgresPassword() {
        return env("TEST_PG_PASSWORD", "");
    }

    public static String postgresAdminUrl() {
        return "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/postgres";
    }

    public static String redisHost() {
        return env("TEST_REDIS_HOST", "127.0.0.1");
    }

    public static int redisPort() {
        return Integer.parseInt(env("TEST_REDIS_PORT", "6379"));
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
