package dev.gpuproxy.cli.common.identity;

import dev.gpuproxy.api.model.ApiKey;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How both tools show API keys: a freshly created key (the only time its secret exists outside the user's hands)
 * and the list of keys, which never carries a secret, only the public prefix.
 */
public final class ApiKeyView {

    private ApiKeyView() {
    }

    /**
     * Prints a key the server just created, secret included, because it cannot be shown again; the reminder to
     * store it goes to stderr so that {@code --format json} output stays parseable.
     */
    public static void printCreated(Output output, Reply<ApiKey> created) {
        if (output.isJson()) {
            output.json(created.json());
        } else {
            ApiKey key = created.value();
            output.details(new Details()
                    .add("API key", key.apiKey())
                    .add("ID", key.id())
                    .add("Name", key.name())
                    .add("Prefix", key.prefix())
                    .add("Expires", expiry(key))
                    .add("Created", key.createdAt()));
        }
        output.note("Store this key now: the server keeps only a hash of it and cannot show it again.");
    }

    /**
     * Checks an {@code --expires-at} value before it is sent; null (no expiry) passes.
     *
     * @throws CliException a usage error (exit 2) naming the expected form
     */
    public static String requireExpiry(String value) {
        if (value != null) {
            try {
                Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new CliException("--expires-at must be an ISO-8601 instant such as 2030-01-01T00:00:00Z (got '"
                        + value + "')", ExitCodes.USAGE, e);
            }
        }
        return value;
    }

    /** A table of keys with a status column: active, expired or revoked. */
    public static Table table(Iterable<ApiKey> keys, Instant now) {
        Table table = Table.withColumns("id", "name", "prefix", "status", "created", "last used", "expires");
        for (ApiKey key : keys) {
            table.row(key.id(), key.name(), key.prefix(), status(key, now), key.createdAt(), key.lastUsedAt(),
                    expiry(key));
        }
        return table;
    }

    static String status(ApiKey key, Instant now) {
        if (key.revokedAt() != null) {
            return "revoked";
        }
        if (key.expiresAt() != null) {
            try {
                if (!Instant.parse(key.expiresAt()).isAfter(now)) {
                    return "expired";
                }
            } catch (DateTimeParseException notAnInstant) {
                // shown as the server sent it; the server decides whether it still works
            }
        }
        return "active";
    }

    private static String expiry(ApiKey key) {
        return key.expiresAt() == null ? "never" : key.expiresAt();
    }
}
