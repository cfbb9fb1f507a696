package dev.gpuproxy.cli.admin.migrate;

import dev.gpuproxy.cli.common.CliEnvironment;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;
import dev.gpuproxy.db.DatabaseKind;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database {@code migrate} works on, decided from flags and the server's own DB_* variables with the server's
 * rules and defaults, so that migrating by hand reaches the same database gpuproxyd would use.
 *
 * @param kind     PostgreSQL or SQLite
 * @param url      the JDBC URL
 * @param user     login for PostgreSQL; null for SQLite
 * @param password password for PostgreSQL; null for SQLite
 */
record DatabaseTarget(DatabaseKind kind, String url, String user, String password) {

    private static final String DEFAULT_SQLITE_PATH = "./data/gpuproxy.db";

    /**
     * {@code --db-url} wins over everything and decides the kind; otherwise DB_TYPE (or the kind of DB_URL, or
     * SQLite) decides, DB_URL is used when it is of that kind, and the URL is built from DB_HOST, DB_PORT,
     * DB_NAME, DB_SSLMODE or DB_PATH as gpuproxyd builds it.
     */
    static DatabaseTarget resolve(CliEnvironment environment, String urlFlag, String userFlag,
            String passwordFlag) {
        DatabaseKind kind;
        String url;
        Optional<String> envUrl = environment.variable("DB_URL");
        if (urlFlag != null && !urlFlag.isBlank()) {
            url = urlFlag.trim();
            kind = DatabaseKind.fromUrl(url).orElseThrow(() -> unsupportedUrl("--db-url", urlFlag));
        } else {
            kind = environment.variable("DB_TYPE")
                    .map(DatabaseTarget::kindOfType)
                    .orElseGet(() -> envUrl.flatMap(DatabaseKind::fromUrl).orElse(DatabaseKind.SQLITE));
            if (envUrl.isPresent() && DatabaseKind.fromUrl(envUrl.get()).isEmpty()) {
                throw unsupportedUrl("DB_URL", envUrl.get());
            }
            url = envUrl.filter(value -> DatabaseKind.fromUrl(value).orElseThrow() == kind)
                    .orElseGet(() -> kind == DatabaseKind.POSTGRES ? postgresUrl(environment)
                            : sqliteUrl(environment));
        }
        if (kind == DatabaseKind.SQLITE) {
            createSqliteFolder(url);
            return new DatabaseTarget(kind, url, null, null);
        }
        String user = userFlag != null ? userFlag : environment.variable("DB_USER").orElse("gpuproxy");
        String password = passwordFlag != null ? passwordFlag : environment.variable("DB_PASSWORD").orElse("");
        return new DatabaseTarget(kind, url, user, password);
    }

    /** DB_TYPE read as the server reads it, a value it refuses being a usage error with the server's message. */
    private static DatabaseKind kindOfType(String dbType) {
        try {
            return DatabaseKind.fromEnv(dbType);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The URL as it may be printed: without the query (which may carry a password). */
    String displayUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return kind.unitName() + " " + displayUrl() + (user == null ? "" : " (user " + user + ")");
    }

    private static String postgresUrl(CliEnvironment environment) {
        String host = environment.variable("DB_HOST").orElse("localhost");
        String port = environment.variable("DB_PORT").orElse("5432");
        if (!port.matches("\\d{1,5}")) {
            throw usage("DB_PORT must be a port number (got '" + port + "')");
        }
        String name = environment.variable("DB_NAME").orElse("gpuproxy");
        String sslmode = environment.variable("DB_SSLMODE").orElse("disable");
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?sslmode="
                + URLEncoder.encode(sslmode, StandardCharsets.UTF_8);
    }

    private static String sqliteUrl(CliEnvironment environment) {
        Path path = Path.of(environment.variable("DB_PATH").orElse(DEFAULT_SQLITE_PATH)).toAbsolutePath()
                .normalize();
        return "jdbc:sqlite:" + path + "?journal_mode=WAL&busy_timeout=30000&foreign_keys=true";
    }

    /** The SQLite driver creates the file but not its folder; gpuproxyd creates it too. */
    private static void createSqliteFolder(String url) {
        String location = url.substring("jdbc:sqlite:".length());
        int query = location.indexOf('?');
        String file = query < 0 ? location : location.substring(0, query);
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path folder = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new CliException("the folder " + folder + " for the SQLite database cannot be created: "
                    + e.getMessage(), e);
        }
    }

    private static CliException unsupportedUrl(String source, String url) {
        int query = url.indexOf('?');
        return usage(source + " must be a jdbc:postgresql: or jdbc:sqlite: URL (got '"
                + (query < 0 ? url : url.substring(0, query)) + "')");
    }

    private static CliException usage(String message) {
        return new CliException(message, ExitCodes.USAGE, null);
    }
}
