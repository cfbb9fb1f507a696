package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the load balancer's backend commands: {@code backends list|add|remove}. */
@Command(name = "backends",
        description = "List, add and remove the backends of inference pools, with their live state.",
        subcommands = {ListBackendsCommand.class, AddBackendCommand.class, RemoveBackendCommand.class},
        footer = {
            "  gpuproxy-admin backends add llama-3-8b openai http://10.0.0.5:8000/v1 --weight 2",
            "  gpuproxy-admin backends list",
            "  gpuproxy-admin backends remove 7"
        })
public final class BackendsCommand extends CommandGroup {
}
