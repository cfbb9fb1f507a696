package dev.gpuproxy.cli.client.keys;

import dev.gpuproxy.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the API-key commands: {@code keys create|list|revoke}. */
@Command(name = "keys",
        description = "Create, list and revoke your API keys.",
        subcommands = {CreateKeyCommand.class, ListKeysCommand.class, RevokeKeyCommand.class},
        footer = {
            "  gpuproxy-client keys create ci-runner --expires-at 2030-01-01T00:00:00Z",
            "  gpuproxy-client keys list",
            "  gpuproxy-client keys revoke 42"
        })
public final class KeysCommand extends CommandGroup {
}
