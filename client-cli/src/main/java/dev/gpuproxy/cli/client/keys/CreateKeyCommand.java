package dev.gpuproxy.cli.client.keys;

import static dev.gpuproxy.cli.common.http.ApiClient.body;

import dev.gpuproxy.api.model.ApiKey;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.identity.ApiKeyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates an API key for the current account and prints it once. */
@Command(name = "create",
        description = {
            "Create an API key for your account.",
            "",
            "The key is printed once: the server keeps only its hash."
        },
        footer = {
            "  gpuproxy-client keys create laptop",
            "  gpuproxy-client keys create ci-runner --expires-at 2030-01-01T00:00:00Z",
            "  gpuproxy-client keys create ci-runner --format json | jq -r .api_key > ci.key"
        })
public final class CreateKeyCommand extends ApiCommand {

    @Parameters(paramLabel = "<name>", description = "A name that tells this key apart from your others.")
    String name;

    @Option(names = "--expires-at", paramLabel = "<instant>",
            description = "When the key stops working, as an ISO-8601 instant such as 2030-01-01T00:00:00Z "
                    + "(default: never).")
    String expiresAt;

    @Override
    protected void execute() {
        ApiKeyView.printCreated(output(), api().post("/api/v1/auth/apikey", body("name", name,
                "expires_at", ApiKeyView.requireExpiry(expiresAt)), ApiKey.class));
    }
}
