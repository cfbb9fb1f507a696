package dev.gpuproxy.cli.client.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
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
        JsonNode list = api().get(Offers.INSTANCES + "/mine", ApiClient.body("include_ended", all ? "true" : null));
        if (output().isJson()) {
            output().json(list);
        } else if (list.path("instances").isEmpty()) {
            output().note("No instances. Rent one with '" + toolName() + " create <provider> <offer>'.");
        } else {
            output().table(Offers.instanceTable(list.path("instances")));
        }
    }
}
