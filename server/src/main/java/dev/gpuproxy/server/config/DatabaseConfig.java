package dev.gpuproxy.server.config;

import dev.gpuproxy.db.DatabaseKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/** Database settings (environment variables {@code DB_*}). */
@ConfigMapping(prefix = "db")
public interface DatabaseConfig {

    /** DB_TYPE: {@code sqlite} (default, embedded file) or {@code postgres}. */
    @WithDefault("sqlite")
    String type();

    /** The active database kind parsed from {@link #type()}. */
    default DatabaseKind kind() {
        return DatabaseKind.fromEnv(type());
    }

    /** DB_URL: a full JDBC URL that replaces host, port, name and sslmode (or the SQLite path). */
    Optional<String> url();

    /** DB_PATH: the SQLite file; its folder is created at start. */
    @WithDefault("./data/gpuproxy.db")
    String path();

    /** DB_HOST: PostgreSQL host. */
    @WithDefault("localhost")
    String host();

    /** DB_PORT: PostgreSQL port. */
    @WithDefault("5432")
    @Min(1)
    @Max(65535)
    int port();

    /** DB_USER: PostgreSQL user. */
    @WithDefault("gpuproxy")
    String user();

    /** DB_PASSWORD: PostgreSQL password (never logged). */
    Optional<String> password();

    /** DB_NAME: PostgreSQL database. */
    @WithDefault("gpuproxy")
    String name();

    /** DB_SSLMODE: PostgreSQL sslmode (disable, require, verify-full, ...). */
    @WithDefault("disable")
    String sslmode();

    /** DB_MAX_CONNS: PostgreSQL pool size. SQLite always uses one connection (one writer). */
    @WithDefault("25")
    @Min(1)
    int maxConns();

    /** DB_MIN_CONNS: PostgreSQL connections kept open. */
    @WithDefault("5")
    @Min(0)
    int minConns();

    /** DB_MIGRATE_AT_START: run the Flyway migrations of the active database when the server starts. */
    @WithDefault("true")
    boolean migrateAtStart();
}
