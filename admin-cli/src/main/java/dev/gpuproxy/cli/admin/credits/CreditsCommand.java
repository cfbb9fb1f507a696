package dev.gpuproxy.cli.admin.credits;

import dev.gpuproxy.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the operator's credit commands: {@code credits grant|audit}. */
@Command(name = "credits",
        description = "Grant credits to users and check the ledger.",
        subcommands = {GrantCreditsCommand.class, AuditCreditsCommand.class},
        footer = {
            "  gpuproxy-admin credits grant alice@example.com 25 --reason \"trial\"",
            "  gpuproxy-admin credits audit"
        })
public final class CreditsCommand extends CommandGroup {
}
