package dev.gpuproxy.cli.admin.migrate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.cli.common.CliCommand;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Output;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Applies the {@code db} module's Flyway migrations straight to the database, without a running server: what an
 * operator runs before the first start or a rolling upgrade. Prints the versions it applied.
 */
@Command(name = "migrate",
        description = {
            "Apply the database migrations directly, without a server, and print the versions applied.",
            "",
            "The database comes from --db-url or the server's variables: DB_TYPE (sqlite or postgres), "
                    + "DB_URL, DB_PATH (SQLite, default ./data/gpuproxy.db), DB_HOST, DB_PORT, DB_NAME, DB_SSLMODE, "
                    + "DB_USER and DB_PASSWORD (PostgreSQL)."
        },
        footer = {
            "  # the SQLite file gpuproxyd uses by default",
            "  gpuproxy-admin migrate",
            "",
            "  # PostgreSQL, from the same variables the server reads",
            "  DB_TYPE=postgres DB_HOST=db.internal DB_USER=gpuproxy DB_PASSWORD=... gpuproxy-admin migrate",
            "",
            "  # an explicit URL, password typed at a prompt",
            "  gpuproxy-admin migrate --db-url jdbc:postgresql://127.0.0.1:5432/gpuproxy --db-user gpuproxy \\",
            "      --db-password -"
        })
public final class MigrateCommand extends CliCommand {

    /** Held so the level set here is not lost when the logger is garbage-collected. */
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    @Option(names = "--db-url", paramLabel = "<jdbc-url>",
            description = "JDBC URL (jdbc:postgresql://... or jdbc:sqlite:...); overrides DB_URL and DB_TYPE.")
    String url;

    @Option(names = "--db-user", paramLabel = "<user>", description = "PostgreSQL user (else DB_USER, gpuproxy).")
    String user;

    @Option(names = "--db-password", paramLabel = "<password>|-",
            description = "PostgreSQL password (else DB_PASSWORD); '-' reads it from a prompt or stdin.")
    String password;

    @Override
    protected void execute() {
        String givenPassword = "-".equals(password) ? readSecret("Database password: ", "database password")
                : password;
        DatabaseTarget target = DatabaseTarget.resolve(environment(), url, user, givenPassword);
        FLYWAY_LOG.setLevel(options().verbose() ? Level.INFO : Level.WARNING);
        if (!output().isJson()) {
            output().note("Migrating " + target + " ...");
        }
        Flyway flyway = Flyway.configure(MigrateCommand.class.getClassLoader())
                .dataSource(target.url(), target.user(), target.password())
                .locations("classpath:" + target.kind().migrations())
                .load();
        MigrateResult result;
        String version;
        try {
            result = flyway.migrate();
            MigrationInfo current = flyway.info().current();
            version = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
        } catch (FlywayException e) {
            throw failure(target, e);
        }
        print(target, result.migrations == null ? List.of() : result.migrations, version);
    }

    private void print(DatabaseTarget target, List<MigrateOutput> applied, String version) {
        Output output = output();
        if (output.isJson()) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("database", target.kind().unitName());
            json.put("url", target.displayUrl());
            ArrayNode versions = json.putArray("applied");
            for (MigrateOutput migration : applied) {
                versions.addObject()
                        .put("version", migration.version)
                        .put("description", migration.description)
                        .put("execution_time_ms", migration.executionTime);
            }
            json.put("schema_version", version);
            output.json(json);
            return;
        }
        for (MigrateOutput migration : applied) {
            output.line("Applied version " + migration.version + ": " + migration.description);
        }
        output.line(applied.isEmpty()
                ? "Nothing to apply: the schema is up to date at version " + version + "."
                : "Applied " + applied.size() + (applied.size() == 1 ? " migration" : " migrations")
                        + "; the schema is at version " + version + ".");
    }

    /** Unreachable databases exit 3 like an unreachable server; anything else is a failed migration (exit 1). */
    private static CliException failure(DatabaseTarget target, FlywayException e) {
        Throwable root = e;
        boolean unreachable = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            root = cause;
            if (cause instanceof ConnectException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")) {
                unreachable = true;
            }
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (unreachable) {
            return new CliException("cannot connect to the " + target.kind().unitName() + " database at "
                    + target.displayUrl() + ": " + firstLine(reason), ExitCodes.UNAVAILABLE, e);
        }
        return new CliException("migrating the " + target.kind().unitName() + " database at " + target.displayUrl()
                + " failed: " + firstLine(e.getMessage() == null ? reason : e.getMessage()), e);
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end).strip();
    }
}
