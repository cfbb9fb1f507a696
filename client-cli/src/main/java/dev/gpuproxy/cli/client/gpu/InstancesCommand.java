package dev.gpuproxy.cli.client.gpu;

import dev.gpuproxy.api.model.InstanceList;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the caller's instances, newest first. */
@Command(name = "instances",
        description = "List your rented GPU instances, newest first (live ones unless --all).",
        footer = {
            "  gpuproxy-client instances",
            "  gpuproxy-client instances --all --format json"
        })
public final class InstancesCommand extends ApiCommand {

    @Option(names = "--all", description = "Include released and failed instances.")
    boolean all;

    @Override
    protected void execute() {
        Reply<InstanceList> list = api().get(Offers.INSTANCES + "/mine",
                ApiClient.body("include_ended", all ? "true" : null), InstanceList.class);
        if (output().isJson()) {
            output().json(list.json());
        } else if (list.value().instances().isEmpty()) {
            output().note("No instances. Rent one with '" + toolName() + " create <provider> <offer>'.");
        } else {
            output().table(Offers.instanceTable(list.value().instances()));
        }
    }
}
