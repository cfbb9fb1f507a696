package dev.gpuproxy.cli.common.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;

/** How both tools show the server's user object ({@code id, email, name, role, active, ...}) to people. */
public final class UserView {

    private UserView() {
    }

    /** Prints one user: the server's JSON with {@code --format json}, labelled lines otherwise. */
    public static void print(Output output, JsonNode user) {
        if (output.isJson()) {
            output.json(user);
            return;
        }
        output.details(new Details()
                .field("ID", user, "id")
                .field("Email", user, "email")
                .field("Name", user, "name")
                .field("Role", user, "role")
                .field("Active", user, "active")
                .field("Rate limit/min", user, "rate_limit_per_minute")
                .field("Created", user, "created_at"));
    }

    /** A table of users, one per row. */
    public static Table table(Iterable<JsonNode> users) {
        Table table = Table.withColumns("id", "email", "name", "role", "active", "rate/min", "created");
        for (JsonNode user : users) {
            table.row(Json.text(user, "id"), Json.text(user, "email"), Json.text(user, "name"),
                    Json.text(user, "role"), Json.text(user, "active"), Json.text(user, "rate_limit_per_minute"),
                    Json.text(user, "created_at"));
        }
        return table;
    }
}
