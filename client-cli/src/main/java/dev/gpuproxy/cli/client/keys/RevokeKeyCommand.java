package dev.gpuproxy.cli.client.keys;

import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Revokes one of the current account's API keys by id; requests with it fail from then on. */
@Command(name = "revoke",
        description = {"Revoke one of your API keys; it stops working at once.", "", "Find its id with 'keys list'."},
        footer = {
            "  gpuproxy-client keys revoke 42"
        })
public final class RevokeKeyCommand extends ApiCommand {

    @Parameters(paramLabel = "<id>", description = "The key's id, as 'keys list' shows it.")
    String id;

    @Override
    protected void execute() {
        api().delete("/api/v1/auth/apikeys/" + ApiClient.segment(id));
        if (output().isJson()) {
            output().json(ApiClient.body("id", id, "revoked", true));
        } else {
            output().line("Revoked API key " + id + ".");
        }
    }
}
