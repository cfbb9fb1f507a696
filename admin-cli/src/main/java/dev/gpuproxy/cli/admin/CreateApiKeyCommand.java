package dev.gpuproxy.cli.admin;

import dev.gpuproxy.api.model.ApiKey;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.identity.ApiKeyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates an API key for a user, found by email, and prints it once so it can be handed over. */
@Command(name = "create-apikey",
        description = {"Create an API key for a user.", "", "The key is printed once: the server keeps only its hash."},
        footer = {
            "  gpuproxy-admin create-apikey alice@example.com batch-jobs",
            "  gpuproxy-admin create-apikey alice@example.com trial --expires-at 2030-01-01T00:00:00Z",
            "  gpuproxy-admin create-apikey alice@example.com batch-jobs --format json | jq -r .api_key"
        })
public final class CreateApiKeyCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "<email>", description = "The user's email.")
    String email;

    @Parameters(index = "1", paramLabel = "<name>", description = "A name that tells the key apart.")
    String name;

    @Option(names = "--expires-at", paramLabel = "<instant>",
            description = "When the key stops working, as an ISO-8601 instant such as 2030-01-01T00:00:00Z "
                    + "(default: never).")
    String expiresAt;

    @Override
    protected void execute() {
        requireEmail(email);
        ApiKeyView.requireExpiry(expiresAt);
        ApiClient api = api();
        ApiKeyView.printCreated(output(), api.post(userPath(userByEmail(api, email), "/apikeys"),
                ApiClient.body("name", name, "expires_at", expiresAt), ApiKey.class));
    }
}
