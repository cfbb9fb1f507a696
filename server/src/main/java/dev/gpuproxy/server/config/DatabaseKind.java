package dev.gpuproxy.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two databases gpuproxyd can run on; the name is also the datasource and persistence unit name. */
public enum DatabaseKind {
    SQLITE("sqlite"),
    POSTGRES("postgres");

    private final String unitName;

    DatabaseKind(String unitName) {
        this.unitName = unitName;
    }

    /** Name of the Quarkus datasource, persistence unit and Flyway configuration of this kind. */
    public String unitName() {
        return unitName;
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
}
