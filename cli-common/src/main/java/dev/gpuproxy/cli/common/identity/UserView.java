package dev.gpuproxy.cli.common.identity;

import dev.gpuproxy.api.model.User;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;

/** How both tools show the server's user object ({@code id, email, name, role, active, ...}) to people. */
public final class UserView {

    private UserView() {
    }

    /** Prints one user: the server's JSON with {@code --format json}, labelled lines otherwise. */
    public static void print(Output output, Reply<User> user) {
        if (output.isJson()) {
            output.json(user.json());
            return;
        }
        User shown = user.value();
        output.details(new Details()
                .add("ID", shown.id())
                .add("Email", shown.email())
                .add("Name", shown.name())
                .add("Role", shown.role())
                .add("Active", shown.active())
                .add("Rate limit/min", shown.rateLimitPerMinute())
                .add("Created", shown.createdAt()));
    }

    /** A table of users, one per row. */
    public static Table table(Iterable<User> users) {
        Table table = Table.withColumns("id", "email", "name", "role", "active", "rate/min", "created");
        for (User user : users) {
            table.row(user.id(), user.email(), user.name(), user.role(), user.active(), user.rateLimitPerMinute(),
                    user.createdAt());
        }
        return table;
    }
}
