package dev.gpuproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.PostgresTestDatabase;
import dev.gpuproxy.server.testsupport.ServerProcess;
import dev.gpuproxy.server.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One packaged artifact runs on SQLite or PostgreSQL, chosen by DB_TYPE when it starts. */
class PackagedServerIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void startsOnTheSqliteDefaultAndCreatesTheDatabaseFile() throws Exception {
        try (ServerProcess server = ServerProcess.start(workDir, Map.of())) {
            String health = server.awaitHealthy(STARTUP);
            assertThat(health).contains("\"status\":\"ok\"").contains("\"detail\":\"sqlite\"");
        }
        assertThat(Files.exists(workDir.resolve("data/gpuproxy.db"))).isTrue();
    }

    @Test
    void startsOnPostgresFromTheSameBuild() throws Exception {
        try (PostgresTestDatabase database = PostgresTestDatabase.create("packaged");
             ServerProcess server = ServerProcess.start(workDir, Map.of(
                     "DB_TYPE", "postgres",
                     "DB_HOST", TestServices.postgresHost(),
                     "DB_PORT", String.valueOf(TestServices.postgresPort()),
                     "DB_USER", TestServices.postgresUser(),
                     "DB_PASSWORD", TestServices.postgresPassword(),
                     "DB_NAME", database.name()))) {
            String health = server.awaitHealthy(STARTUP);
            assertThat(health).contains("\"status\":\"ok\"").contains("\"detail\":\"postgres\"");
        }
        assertThat(Files.exists(workDir.resolve("data"))).isFalse();
    }

    @Test
    void refusesToStartOnAnUnknownDatabaseTypeNamingTheVariable() throws Exception {
        try (ServerProcess server = ServerProcess.start(workDir, Map.of("DB_TYPE", "mysql"))) {
            assertThat(server.awaitExit(STARTUP)).isNotZero();
            assertThat(server.output()).contains("DB_TYPE must be one of sqlite, postgres (got 'mysql')");
        }
    }

    @Test
    void refusesToStartOnAnInvalidPortNamingTheVariable() throws Exception {
        try (ServerProcess server = ServerProcess.start(workDir, Map.of("DB_TYPE", "postgres", "DB_PORT", "fifty"))) {
            assertThat(server.awaitExit(STARTUP)).isNotZero();
            assertThat(server.output()).contains("DB_PORT must be a port number (got 'fifty')");
        }
    }
}
