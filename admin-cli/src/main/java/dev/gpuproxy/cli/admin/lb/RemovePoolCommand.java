package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Removes a pool and its backends. */
@Command(name = "remove", description = "Remove a pool and all its backends.",
        footer = {"  gpuproxy-admin pools remove llama-3-8b", "  gpuproxy-admin pools remove 3"})
public final class RemovePoolCommand extends AdminApiCommand {

    @Parameters(paramLabel = "<id|name>", description = "The pool's id or name.")
    String pool;

    @Override
    protected void execute() {
        ApiClient api = api();
        String id = Lb.poolId(api, pool);
        api.delete(Lb.POOLS + "/" + ApiClient.segment(id));
        output().note("Removed pool " + pool + (pool.equals(id) ? "" : " (id " + id + ")") + ".");
    }
}
