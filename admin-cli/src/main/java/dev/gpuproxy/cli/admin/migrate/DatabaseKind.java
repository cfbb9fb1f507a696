package dev.gpuproxy.cli.admin.migrate;

import java.util.Locale;
import java.util.Optional;

/** The two databases gpuproxyd runs on, each with its own Flyway history in the {@code db} module. */
enum DatabaseKind {
    POSTGRES("postgres", "jdbc:postgresql:", "db/migration/postgresql"),
    SQLITE("sqlite", "jdbc:sqlite:", "db/migration/sqlite");

    private final String label;
    private final String urlPrefix;
    private final String migrations;

    DatabaseKind(String label, String urlPrefix, String migrations) {
        this.label = label;
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
    }

    /** The DB_TYPE value, as the server spells it. */
    String label() {
        return label;
    }

    /** Classpath folder of this kind's migrations. */
    String migrations() {
        return migrations;
    }

    /** Parses a DB_TYPE value like the server does ("postgresql" is accepted for "postgres"). */
    static Optional<DatabaseKind> fromType(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> Optional.of(POSTGRES);
            case "sqlite" -> Optional.of(SQLITE);
            default -> Optional.empty();
        };
    }

    /** The kind a JDBC URL is for, if it is one gpuproxy supports. */
    static Optional<DatabaseKind> fromUrl(String url) {
        for (DatabaseKind kind : values()) {
            if (url.startsWith(kind.urlPrefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
