package dev.gpuproxy.cli.client.keys;

import dev.gpuproxy.api.model.ApiKeyList;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.identity.ApiKeyView;
import dev.gpuproxy.cli.common.output.Output;
import java.time.Instant;
import picocli.CommandLine.Command;

/** Lists the current account's API keys by prefix, with their status; secrets are never listed. */
@Command(name = "list",
        description = {"List your API keys: prefix, status, last use.", "", "Secrets are never shown again."},
        footer = {
            "  gpuproxy-client keys list",
            "  gpuproxy-client keys list --format json | jq '.data[] | select(.revoked_at == null) | .id'"
        })
public final class ListKeysCommand extends ApiCommand {

    @Override
    protected void execute() {
        Reply<ApiKeyList> keys = api().get("/api/v1/auth/apikeys", ApiKeyList.class);
        Output output = output();
        if (output.isJson()) {
            output.json(keys.json());
        } else if (keys.value().data().isEmpty()) {
            output.note("No API keys. Create one with '" + toolName() + " keys create <name>'.");
        } else {
            output.table(ApiKeyView.table(keys.value().data(), Instant.now()));
        }
    }
}
