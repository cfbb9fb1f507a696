package dev.gpuproxy.server.config;

import dev.gpuproxy.db.DatabaseKind;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the operator's environment (DB_TYPE, DB_URL, REDIS_HOST, CORS_ORIGINS, ...) into the Quarkus settings that
 * need a decision rather than a substitution: which datasource, persistence unit and Flyway history is active,
 * the JDBC URLs, the Redis URL and CORS. Runs when the server starts, so one build serves either database.
 *
 * <p>Its priority sits above application.properties and below environment variables and system properties, so an
 * operator can still override any derived Quarkus property explicitly.
 */
public class OperatorSettingsConfigSourceFactory implements ConfigSourceFactory {

    static final int PRIORITY = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = new HashMap<>();
        deriveDatabase(context, derived);
        deriveRedis(context, derived);
        deriveCors(context, derived);
        return List.of(new PropertiesConfigSource(derived, "gpuproxy-operator-settings", PRIORITY));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(PRIORITY);
    }

    private static void deriveDatabase(ConfigSourceContext context, Map<String, String> derived) {
        String url = value(context, "db.url", null);
        String type = value(context, "db.type", null);
        DatabaseKind kind;
        if (type != null) {
            kind = DatabaseKind.fromEnv(type);
        } else if (url != null && url.startsWith("jdbc:postgresql:")) {
            kind = DatabaseKind.POSTGRES;
        } else {
            kind = DatabaseKind.SQLITE;
        }
        derived.put("db.type", kind.unitName());
        for (DatabaseKind each : DatabaseKind.values()) {
            String active = String.valueOf(each == kind);
            derived.put("quarkus.datasource." + each.unitName() + ".active", active);
            derived.put("quarkus.hibernate-orm." + each.unitName() + ".active", active);
            derived.put("quarkus.flyway." + each.unitName() + ".active", active);
        }
        if (url != null && !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("DB_URL must be a JDBC URL such as jdbc:postgresql://host:5432/gpuproxy");
        }
        derived.put("quarkus.datasource.postgres.jdbc.url",
                kind == DatabaseKind.POSTGRES && url != null ? url : postgresUrl(context));
        derived.put("quarkus.datasource.sqlite.jdbc.url",
                kind == DatabaseKind.SQLITE && url != null ? url : sqliteUrl(context, kind == DatabaseKind.SQLITE));
    }

    private static String postgresUrl(ConfigSourceContext context) {
        String host = value(context, "db.host", "localhost");
        String port = value(context, "db.port", "5432");
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("DB_PORT must be a port number (got '" + port + "')");
        }
        String name = value(context, "db.name", "gpuproxy");
        String sslmode = value(context, "db.sslmode", "disable");
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?sslmode="
                + URLEncoder.encode(sslmode, StandardCharsets.UTF_8);
    }

    /**
     * The SQLite URL with WAL journaling (readers never block the writer) and a busy timeout. The file's folder is
     * created here because the driver does not create it and migrations run before any application code.
     */
    private static String sqliteUrl(ConfigSourceContext context, boolean active) {
        Path path = Path.of(value(context, "db.path", "./data/gpuproxy.db")).toAbsolutePath().normalize();
        if (active && path.getParent() != null) {
            try {
                Files.createDirectories(path.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("DB_PATH folder " + path.getParent() + " cannot be created", e);
            }
        }
        return "jdbc:sqlite:" + path + "?journal_mode=WAL&busy_timeout=30000&foreign_keys=true&synchronous=NORMAL";
    }

    private static void deriveRedis(ConfigSourceContext context, Map<String, String> derived) {
        String host = value(context, "redis.host", null);
        if (host == null) {
            return;
        }
        String port = value(context, "redis.port", "6379");
        String password = value(context, "redis.password", null);
        String database = value(context, "redis.db", "0");
        String auth = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        derived.put("quarkus.redis.hosts", "redis://" + auth + host + ":" + port + "/" + database);
    }

    private static void deriveCors(ConfigSourceContext context, Map<String, String> derived) {
        String origins = value(context, "server.cors-origins", value(context, "CORS_ORIGINS", null));
        if (origins == null) {
            return;
        }
        derived.put("quarkus.http.cors.enabled", "true");
        derived.put("quarkus.http.cors.origins", origins);
        derived.put("quarkus.http.cors.access-control-allow-credentials", "false");
    }

    private static String value(ConfigSourceContext context, String name, String defaultValue) {
        ConfigValue value = context.getValue(name);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return defaultValue;
        }
        return value.getValue().trim();
    }
}
