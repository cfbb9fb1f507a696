package dev.gpuproxy.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The two databases gpuproxy runs on, each with its own Flyway history in this module. The server and
 * {@code gpuproxy-admin migrate} both decide the database with it, so they always agree.
 */
public enum DatabaseKind {
    SQLITE("sqlite", "jdbc:sqlite:", "db/migration/sqlite"),
    POSTGRES("postgres", "jdbc:postgresql:", "db/migration/postgresql");

    private final String unitName;
    private final String urlPrefix;
    private final String migrations;

    DatabaseKind(String unitName, String urlPrefix, String migrations) {
        this.unitName = unitName;
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
    }

    /**
     * The DB_TYPE value as gpuproxy spells it; also the name of the server's Quarkus datasource, persistence unit and
     * Flyway configuration of this kind.
     */
    public String unitName() {
        return unitName;
    }

    /** Classpath folder of this kind's migrations. */
    public String migrations() {
        return migrations;
    }

    /**
     * Parses a DB_TYPE value; "postgresql" is accepted as a synonym of "postgres".
     *
     * @throws IllegalArgumentException naming DB_TYPE and the accepted values
     */
    public static DatabaseKind fromEnv(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("postgresql")) {
            return POSTGRES;
        }
        for (DatabaseKind kind : values()) {
            if (kind.unitName.equals(normalized)) {
                return kind;
            }
        }
        String accepted = Arrays.stream(values()).map(DatabaseKind::unitName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "DB_TYPE must be one of " + accepted + " (got '" + value + "')");
    }

    /** The kind a JDBC URL is for, if it is one gpuproxy supports. */
    public static Optional<DatabaseKind> fromUrl(String url) {
        for (DatabaseKind kind : values()) {
            if (url.startsWith(kind.urlPrefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
