package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.api.model.PoolList;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
import picocli.CommandLine.Command;

/** Lists the pools with their strategy and number of backends. */
@Command(name = "list", description = "List pools: strategy, backends, aliases, where they were declared.",
        footer = {"  gpuproxy-admin pools list", "  gpuproxy-admin pools list --format json | jq -r '.data[].name'"})
public final class ListPoolsCommand extends AdminApiCommand {

    @Override
    protected void execute() {
        Reply<PoolList> pools = api().get(Lb.POOLS, PoolList.class);
        if (output().isJson()) {
            output().json(pools.json());
        } else if (pools.value().data().isEmpty()) {
            output().note("No pools. Add one with '" + toolName() + " pools add <name>'.");
        } else {
            output().table(Lb.poolTable(pools.value().data()));
        }
    }
}
