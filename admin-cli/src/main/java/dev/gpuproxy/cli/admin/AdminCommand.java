package dev.gpuproxy.cli.admin;

import dev.gpuproxy.cli.admin.credits.CreditsCommand;
import dev.gpuproxy.cli.admin.lb.BackendsCommand;
import dev.gpuproxy.cli.admin.lb.PoolsCommand;
import dev.gpuproxy.cli.admin.migrate.MigrateCommand;
import dev.gpuproxy.cli.common.Cli;
import dev.gpuproxy.cli.common.CliEnvironment;
import dev.gpuproxy.cli.common.RootCommand;
import dev.gpuproxy.cli.common.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code gpuproxy-admin}, the operator's tool: the root command lists the subcommands and holds the global options
 * every subcommand inherits. Adding a command means writing one class and naming it in {@code subcommands}.
 */
@Command(name = "gpuproxy-admin",
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
        description = {
            "Operate a gpuproxy server: migrate its database, manage users, keys, credits, pools and backends.",
            "",
            "Everything but 'migrate' goes over the REST API with an admin's API key."
        },
        subcommands = {
            MigrateCommand.class, UsersCommand.class, CreateUserCommand.class, MakeAdminCommand.class,
            CreateApiKeyCommand.class, UsageCommand.class, CreditsCommand.class, PoolsCommand.class,
            BackendsCommand.class, StatsCommand.class
        },
        footer = {
            "  DB_TYPE=postgres DB_HOST=db.internal gpuproxy-admin migrate",
            "  gpuproxy-admin users --search example.com",
            "  gpuproxy-admin create-user alice@example.com - \"Alice Smith\" < password.txt",
            "  gpuproxy-admin --format json usage alice@example.com",
            "  gpuproxy-admin credits grant alice@example.com 25 --reason trial",
            "  gpuproxy-admin backends add llama-3-8b openai http://10.0.0.5:8000/v1",
            "",
            "Environment:",
            "  GPUPROXY_URL      server URL, when --server is not given",
            "  GPUPROXY_API_KEY  an admin's API key, when --api-key is not given",
            "  GPUPROXY_CONFIG   config file (default ~/.config/gpuproxy/config.properties)",
            "  DB_TYPE, DB_URL, DB_PATH, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME, DB_SSLMODE  for migrate",
            "",
            "Exit codes: 0 ok, 1 error, 2 usage, 3 server or database refused or unavailable."
        })
public final class AdminCommand extends RootCommand {

    public AdminCommand(CliEnvironment environment) {
        super(environment);
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new AdminCommand(CliEnvironment.system()), args));
    }
}
