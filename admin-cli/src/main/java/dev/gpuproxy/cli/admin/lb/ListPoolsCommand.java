package dev.gpuproxy.cli.admin.lb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import picocli.CommandLine.Command;

/** Lists the pools with their strategy and number of backends. */
@Command(name = "list", description = "List pools: strategy, backends, aliases, where they were declared.",
        footer = {"  gpuproxy-admin pools list", "  gpuproxy-admin pools list --format json | jq -r '.data[].name'"})
public final class ListPoolsCommand extends AdminApiCommand {

    @Override
    protected void execute() {
        JsonNode pools = api().get(Lb.POOLS);
        if (output().isJson()) {
            output().json(pools);
        } else if (pools.path("data").isEmpty()) {
            output().note("No pools. Add one with '" + toolName() + " pools add <name>'.");
        } else {
            output().table(Lb.poolTable(pools.path("data")));
        }
    }
}
