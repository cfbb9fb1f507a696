package dev.gpuproxy.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.identity.UserView;
import dev.gpuproxy.cli.common.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists users, one page at a time, optionally filtered by a search on email and name. */
@Command(name = "users",
        description = "List users, optionally filtered by a search on email and name.",
        footer = {
            "  gpuproxy-admin users",
            "  gpuproxy-admin users --search example.com --limit 20 --offset 40",
            "  gpuproxy-admin users --format json | jq -r '.data[].email'"
        })
public final class UsersCommand extends AdminApiCommand {

    @Option(names = "--search", paramLabel = "<text>", description = "Only users whose email or name contains it.")
    String search;

    @Option(names = "--limit", paramLabel = "<n>", description = "Users per page (default: the server's).")
    Integer limit;

    @Option(names = "--offset", paramLabel = "<n>", description = "Users to skip (default: 0).")
    Integer offset;

    @Override
    protected void execute() {
        if (limit != null && limit < 1) {
            throw usageError("--limit must be at least 1 (got " + limit + ")");
        }
        if (offset != null && offset < 0) {
            throw usageError("--offset must not be negative (got " + offset + ")");
        }
        JsonNode page = api().get(USERS, ApiClient.body("search", search, "limit", limit, "offset", offset));
        Output output = output();
        if (output.isJson()) {
            output.json(page);
            return;
        }
        JsonNode users = page.path("data");
        if (users.isEmpty()) {
            output.note(search == null ? "No users." : "No users match '" + search + "'.");
            return;
        }
        output.table(UserView.table(users));
        long total = page.path("total").asLong(users.size());
        long first = page.path("offset").asLong(offset == null ? 0 : offset);
        if (total > users.size()) {
            output.note("Users " + (first + 1) + "-" + (first + users.size()) + " of " + total + "; use --offset "
                    + (first + users.size()) + " for the next page.");
        }
    }
}
