package dev.gpuproxy.cli.client;

import dev.gpuproxy.cli.client.billing.PayCommand;
import dev.gpuproxy.cli.client.billing.TransactionsCommand;
import dev.gpuproxy.cli.client.credits.CreditsCommand;
import dev.gpuproxy.cli.client.credits.LedgerCommand;
import dev.gpuproxy.cli.client.gateway.ChatCommand;
import dev.gpuproxy.cli.client.gateway.ModelsCommand;
import dev.gpuproxy.cli.client.gateway.ProxyCommand;
import dev.gpuproxy.cli.client.gpu.CreateCommand;
import dev.gpuproxy.cli.client.gpu.DestroyCommand;
import dev.gpuproxy.cli.client.gpu.InstancesCommand;
import dev.gpuproxy.cli.client.gpu.ListCommand;
import dev.gpuproxy.cli.client.keys.KeysCommand;
import dev.gpuproxy.cli.client.lb.LbStrategyCommand;
import dev.gpuproxy.cli.client.lb.LoadCommand;
import dev.gpuproxy.cli.client.reservation.ReleaseCommand;
import dev.gpuproxy.cli.client.reservation.ReservationsCommand;
import dev.gpuproxy.cli.client.reservation.ReserveCommand;
import dev.gpuproxy.cli.common.Cli;
import dev.gpuproxy.cli.common.CliEnvironment;
import dev.gpuproxy.cli.common.RootCommand;
import dev.gpuproxy.cli.common.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code gpuproxy-client}, the tenant's tool: the root command lists the subcommands and holds the global options
 * every subcommand inherits. Adding a command means writing one class and naming it in {@code subcommands}.
 */
@Command(name = "gpuproxy-client",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        abbreviateSynopsis = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        synopsisHeading = "Usage: ",
        descriptionHeading = "%n",
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        description = "Use a gpuproxy server as a tenant: rent GPUs, buy credits, chat with models, manage API keys.",
        subcommands = {
            LoginCommand.class, WhoamiCommand.class, KeysCommand.class,
            ListCommand.class, CreateCommand.class, DestroyCommand.class, InstancesCommand.class,
            ReserveCommand.class, ReservationsCommand.class, ReleaseCommand.class, LoadCommand.class,
            LbStrategyCommand.class,
            CreditsCommand.class, LedgerCommand.class, TransactionsCommand.class, PayCommand.class,
            ModelsCommand.class, ChatCommand.class, ProxyCommand.class
        },
        footer = {
            "  gpuproxy-client --server https://gpu.example.com login alice@example.com",
            "  gpuproxy-client whoami",
            "  gpuproxy-client list --gpu A100 --max-price 2",
            "  gpuproxy-client create static box-a100",
            "  gpuproxy-client reserve 16 --min-vram 80 --max-price 2.5",
            "  gpuproxy-client lb-strategy least_connections",
            "  gpuproxy-client pay 20 --provider stripe",
            "  gpuproxy-client chat llama-3-8b \"Hello\"",
            "  gpuproxy-client keys list --format json",
            "",
            "Environment:",
            "  GPUPROXY_URL      server URL, when --server is not given",
            "  GPUPROXY_API_KEY  API key, when --api-key is not given",
            "  GPUPROXY_CONFIG   config file (default ~/.config/gpuproxy/config.properties)",
            "",
            "Exit codes: 0 ok, 1 error, 2 usage, 3 server refused or unavailable."
        })
public final class ClientCommand extends RootCommand {

    public ClientCommand(CliEnvironment environment) {
        super(environment);
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new ClientCommand(CliEnvironment.system()), args));
    }
}
