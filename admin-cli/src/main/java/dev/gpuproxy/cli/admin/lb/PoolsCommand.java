package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the load balancer's pool commands: {@code pools list|add|remove}. */
@Command(name = "pools",
        description = "List, add and remove inference pools (a pool is what clients name as 'model').",
        subcommands = {ListPoolsCommand.class, AddPoolCommand.class, RemovePoolCommand.class},
        footer = {
            "  gpuproxy-admin pools add llama-3-8b --strategy least_response_time --alias meta-llama/Meta-Llama-3-8B",
            "  gpuproxy-admin pools list",
            "  gpuproxy-admin pools remove llama-3-8b"
        })
public final class PoolsCommand extends CommandGroup {
}
