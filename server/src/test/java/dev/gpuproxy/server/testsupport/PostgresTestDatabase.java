package dev.gpuproxy.server.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** A throwaway PostgreSQL database on the real local server: created for a test run, dropped after it. */
public final class PostgresTestDatabase implements AutoCloseable {

    private final String name;

    private PostgresTestDatabase(String name) {
        this.name = name;
    }

    public static PostgresTestDatabase create(String purpose) {
        String name = ("gpx_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        return new PostgresTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + TestServices.postgresHost() + ":" + TestServices.postgresPort() + "/" + name;
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresAdminUrl(),
                TestServices.postgresUser(), TestServices.postgresPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + TestServices.postgresAdminUrl()
                    + " is needed for tests (see README: make test): " + e.getMessage(), e);
        }
    }
}
