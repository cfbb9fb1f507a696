package dev.gpuproxy.cli.client;

import dev.gpuproxy.api.model.User;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.identity.UserView;
import picocli.CommandLine.Command;

/** Shows the account the current API key belongs to, which also checks that server and key work. */
@Command(name = "whoami",
        description = "Show the account of the API key in use (and so check that server and key work).",
        footer = {
            "  gpuproxy-client whoami",
            "  gpuproxy-client whoami --format json | jq -r .email",
            "  GPUPROXY_API_KEY=gpx_... gpuproxy-client --server http://localhost:8080 whoami"
        })
public final class WhoamiCommand extends ApiCommand {

    @Override
    protected void execute() {
        UserView.print(output(), api().get("/api/v1/user/me", User.class));
    }
}
