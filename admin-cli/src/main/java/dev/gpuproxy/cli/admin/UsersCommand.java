package dev.gpuproxy.cli.admin;

import dev.gpuproxy.api.model.User;
import dev.gpuproxy.api.model.UserPage;
import dev.gpuproxy.cli.common.PageOptions;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.identity.UserView;
import dev.gpuproxy.cli.common.output.Output;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    PageOptions paging;

    @Override
    protected void execute() {
        paging.check();
        Reply<UserPage> page = api().get(USERS, ApiClient.body("search", search, "limit", paging.limit(),
                "offset", paging.offset()), UserPage.class);
        Output output = output();
        if (output.isJson()) {
            output.json(page.json());
            return;
        }
        List<User> users = page.value().data();
        if (users.isEmpty()) {
            output.note(search == null ? "No users." : "No users match '" + search + "'.");
            return;
        }
        output.table(UserView.table(users));
        long total = Objects.requireNonNullElse(page.value().total(), (long) users.size());
        long first = Objects.requireNonNullElse(page.value().offset(),
                paging.offset() == null ? 0L : paging.offset());
        if (total > users.size()) {
            PageOptions.nextPageNote(output, "Users", first, users.size(), total);
        }
    }
}
