package dev.gpuproxy.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
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
        JsonNode user = userByEmail(api, email);
        JsonNode updated = unwrapUser(api.post(userPath(user, "/admin"), Map.of()));
        if (output().isJson()) {
            output().json(updated);
        } else {
            output().line(Json.text(updated, "email") + " is now " + Json.text(updated, "role") + ".");
        }
    }
}
