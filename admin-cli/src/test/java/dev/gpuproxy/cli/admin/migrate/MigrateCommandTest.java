package dev.gpuproxy.cli.admin.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.admin.AdminCommand;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.Ports;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code gpuproxy-admin migrate} against a new, empty PostgreSQL database on 127.0.0.1 and a new SQLite file,
 * and checks what it printed against the schema history the database really holds.
 */
class MigrateCommandTest {

    private static final String PG_HOST = env("TEST_PG_HOST", "127.0.0.1");
    private static final String PG_PORT = env("TEST_PG_PORT", "5432");
    private static final String PG_USER = env("TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = env("TEST_PG_PASSWORD", "");

    @TempDir
    Path home;

    private String database;
    private CliRunner cli;

    @BeforeEach
    void createEmptyPostgresDatabase() throws SQLException {
        database = "gpx_cli_migrate_" + UUID.randomUUID().toString().substring(0, 8);
        adminExecute("CREATE DATABASE " + database);
        cli = new CliRunner(AdminCommand::new, home);
    }

    @AfterEach
    void dropPostgresDatabase() throws SQLException {
        adminExecute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    void emptyPostgresGetsEveryVersionFromTheServersVariablesAndASecondRunAppliesNothing() throws SQLException {
        cli.env("DB_TYPE", "postgres").env("DB_HOST", PG_HOST).env("DB_PORT", PG_PORT).env("DB_NAME", database)
                .env("DB_USER", PG_USER).env("DB_PASSWORD", PG_PASSWORD);

        Result first = cli.run("migrate");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> versions = appliedVersions(postgresUrl());
        assertThat(versions).startsWith("1");
        assertThat(first.out().lines().filter(line -> line.startsWith("Applied version "))
                .map(line -> line.substring("Applied version ".length(), line.indexOf(':'))).toList())
                .as("the printed versions are the ones in the schema history").isEqualTo(versions);
        assertThat(first.out()).contains("Applied version 1: schema")
                .endsWith("; the schema is at version " + last(versions) + ".\n");
        assertThat(first.err()).contains("Migrating postgres jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/"
                + database);
        assertThat(tableExists(postgresUrl(), "users")).isTrue();

        Result second = cli.run("migrate");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo("Nothing to apply: the schema is up to date at version "
                + last(versions) + ".\n");
        assertThat(appliedVersions(postgresUrl())).isEqualTo(versions);
    }

    @Test
    void dbUrlFlagWithJsonOutputListsTheAppliedVersions() throws SQLException {
        String[] args = {"migrate", "--db-url", postgresUrl(), "--db-user", PG_USER, "--db-password", PG_PASSWORD,
            "--format", "json"};

        Result first = cli.run(args);
        Result second = cli.run(args);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        JsonNode json = first.json();
        assertThat(json.path("database").asText()).isEqualTo("postgres");
        assertThat(json.path("url").asText()).isEqualTo(postgresUrl());
        List<String> printed = new ArrayList<>();
        json.path("applied").forEach(migration -> printed.add(migration.path("version").asText()));
        assertThat(printed).isEqualTo(appliedVersions(postgresUrl()));
        assertThat(json.path("applied").get(0).path("description").asText()).isEqualTo("schema");
        assertThat(json.path("schema_version").asText()).isEqualTo(last(printed));
        assertThat(first.err()).as("stderr stays quiet for scripts").isEmpty();

        assertThat(second.json().path("applied")).isEmpty();
        assertThat(second.json().path("schema_version").asText()).isEqualTo(last(printed));
    }

    @Test
    void newSqliteFileInAMissingFolderGetsEveryVersionAndASecondRunAppliesNothing() throws SQLException {
        Path file = home.resolve("data/nested/gpuproxy.db");
        cli.env("DB_TYPE", "sqlite").env("DB_PATH", file.toString());

        Result first = cli.run("migrate");
        Result second = cli.run("migrate", "--format", "json");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> versions = appliedVersions("jdbc:sqlite:" + file);
        assertThat(versions).startsWith("1");
        assertThat(first.out()).contains("Applied version 1: schema")
                .endsWith("Applied " + versions.size() + (versions.size() == 1 ? " migration" : " migrations")
                        + "; the schema is at version " + last(versions) + ".\n");
        assertThat(tableExists("jdbc:sqlite:" + file, "users")).isTrue();

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.json().path("database").asText()).isEqualTo("sqlite");
        assertThat(second.json().path("url").asText()).isEqualTo("jdbc:sqlite:" + file);
        assertThat(second.json().path("applied")).isEmpty();
        assertThat(appliedVersions("jdbc:sqlite:" + file)).isEqualTo(versions);
    }

    @Test
    void anUnknownDatabaseTypeIsAUsageError() {
        Result result = cli.env("DB_TYPE", "mysql").run("migrate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(
                "gpuproxy-admin: error: DB_TYPE must be one of sqlite, postgres (got 'mysql')",
                "Try 'gpuproxy-admin migrate --help'");
    }

    @Test
    void aUrlOfAnotherDatabaseIsAUsageErrorThatHidesTheQuery() {
        Result result = cli.run("migrate", "--db-url", "jdbc:mysql://127.0.0.1/gpuproxy?password=hunter2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--db-url must be a jdbc:postgresql: or jdbc:sqlite: URL")
                .doesNotContain("hunter2");
    }

    @Test
    void unreachablePostgresExitsThreeWithAClearMessage() {
        int closed = Ports.closedPort();
        cli.env("DB_TYPE", "postgres").env("DB_HOST", "127.0.0.1").env("DB_PORT", String.valueOf(closed))
                .env("DB_PASSWORD", "hunter2");

        Result result = cli.run("migrate");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("gpuproxy-admin: error: cannot connect to the postgres database at "
                + "jdbc:postgresql://127.0.0.1:" + closed + "/gpuproxy: ").contains("(use --verbose for details)")
                .doesNotContain("hunter2");
        assertThat(result.out()).isEmpty();
    }

    private String postgresUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    private static List<String> appliedVersions(String url) throws SQLException {
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                                + " ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
            return versions;
        }
    }

    private static boolean tableExists(String url, String table) throws SQLException {
        try (Connection connection = connect(url);
                ResultSet tables = connection.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    private static Connection connect(String url) throws SQLException {
        return url.startsWith("jdbc:sqlite:") ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, PG_USER, PG_PASSWORD);
    }

    private static void adminExecute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", PG_USER, PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
