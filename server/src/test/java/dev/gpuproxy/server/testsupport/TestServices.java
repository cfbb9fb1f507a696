package dev.gpuproxy.server.testsupport;

/** Where the real PostgreSQL and Redis used by tests live (loopback defaults, overridable by environment). */
public final class TestServices {

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
