package dev.gpuproxy.cli.admin;

import dev.gpuproxy.api.model.User;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Gives a user, found by email, the admin role. */
@Command(name = "make-admin",
        description = "Give a user the admin role.",
        footer = {
            "  gpuproxy-admin make-admin alice@example.com"
        })
public final class MakeAdminCommand extends AdminApiCommand {

    @Parameters(paramLabel = "<email>", description = "The user's email.")
    String email;

    @Override
    protected void execute() {
        requireEmail(email);
        ApiClient api = api();
        Reply<User> updated = userOf(api.post(userPath(userByEmail(api, email), "/admin"), Map.of()));
        if (output().isJson()) {
            output().json(updated.json());
        } else {
            output().line(orDash(updated.value().email()) + " is now " + orDash(updated.value().role()) + ".");
        }
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
