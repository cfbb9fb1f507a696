package dev.gpuproxy.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applies both migration histories to real databases (a fresh PostgreSQL database and a new SQLite file) and proves
 * they produce the same versions, tables, columns and nullability.
 */
class SchemaParityTest {

    private static final String PG_HOST = env("TEST_PG_HOST", "127.0.0.1");
    private static final String PG_PORT = env("TEST_PG_PORT", "5432");
    private static final String PG_USER = env("TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = env("TEST_PG_PASSWORD", "");
    private static final String PG_ADMIN_URL = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres";
    private static final Set<String> EXPECTED_TABLES = Set.of("users", "api_keys", "sessions", "wallets",
            "ledger_entries", "idempotency_records", "payments", "webhook_events", "usage_sessions", "instances",
            "reservations", "backends", "pools", "lb_settings", "audit_log", "job_leases", "cluster_replicas");

    private static String pgDatabase;

    @TempDir
    static Path sqliteFolder;

    @BeforeAll
    static void createPostgresDatabase() throws SQLException {
        pgDatabase = "gpx_parity_" + UUID.randomUUID().toString().substring(0, 8);
        adminExecute("CREATE DATABASE " + pgDatabase);
    }

    @AfterAll
    static void dropPostgresDatabase() throws SQLException {
        adminExecute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
    }

    @Test
    void bothHistoriesProduceTheSameTablesAndColumns() throws Exception {
        String pgUrl = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + pgDatabase;
        String sqliteUrl = "jdbc:sqlite:" + sqliteFolder.resolve("parity.db");

        Flyway postgres = flyway(pgUrl, PG_USER, PG_PASSWORD, "db/migration/postgresql");
        Flyway sqlite = flyway(sqliteUrl, null, null, "db/migration/sqlite");
        postgres.migrate();
        sqlite.migrate();

        assertThat(versions(sqlite)).isEqualTo(versions(postgres)).isNotEmpty();

        Map<String, Map<String, Boolean>> pgSchema;
        try (Connection connection = DriverManager.getConnection(pgUrl, PG_USER, PG_PASSWORD)) {
            pgSchema = columns(connection, "public");
        }
        Map<String, Map<String, Boolean>> sqliteSchema;
        try (Connection connection = DriverManager.getConnection(sqliteUrl)) {
            sqliteSchema = columns(connection, null);
        }
        assertThat(pgSchema.keySet()).containsAll(EXPECTED_TABLES);
        assertThat(sqliteSchema).isEqualTo(pgSchema);
    }

    @Test
    void sqliteHistoryAppliesToAnEmptyFileTwiceWithoutChanges() {
        String url = "jdbc:sqlite:" + sqliteFolder.resolve("twice.db");
        int first = flyway(url, null, null, "db/migration/sqlite").migrate().migrationsExecuted;
        int second = flyway(url, null, null, "db/migration/sqlite").migrate().migrationsExecuted;
        assertThat(first).isPositive();
        assertThat(second).isZero();
        assertThat(Files.exists(sqliteFolder.resolve("twice.db"))).isTrue();
    }

    private static Flyway flyway(String url, String user, String password, String location) {
        return Flyway.configure().dataSource(url, user, password).locations("classpath:" + location)
                .cleanDisabled(true).load();
    }

    private static java.util.List<String> versions(Flyway flyway) {
        return java.util.Arrays.stream(flyway.info().applied())
                .map(MigrationInfo::getVersion).map(Object::toString).toList();
    }

    /** table -> (column -> nullable), without Flyway's own bookkeeping table. */
    private static Map<String, Map<String, Boolean>> columns(Connection connection, String schema) throws SQLException {
        Map<String, Map<String, Boolean>> tables = new TreeMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (table.startsWith("flyway_") || table.startsWith("sqlite_")) {
                    continue;
                }
                String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                tables.computeIfAbsent(table, t -> new TreeMap<>()).put(column, nullable);
            }
        }
        return tables;
    }

    private static void adminExecute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
