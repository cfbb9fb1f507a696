package dev.gpuproxy.cli.client.lb;

import dev.gpuproxy.api.model.BackendLoad;
import dev.gpuproxy.api.model.LoadList;
import dev.gpuproxy.api.model.ProviderLoads;
import dev.gpuproxy.api.model.ServerLoad;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Cells;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Shows load: the balancer's live view of the backends the caller may see (all of them for an admin), the GPUs this
 * server tracks ({@code server}) or what the providers offer right now ({@code provider}).
 */
@Command(name = "load",
        description = {"Show live load per backend: in flight, requests, errors, latency, ejection.",
            "", "'all' (the default) lists every backend you can see, 'pool <name>' one pool's, "
                    + "'instance <id>' the backend of one of your instances, 'server' the GPUs this server tracks "
                    + "(your instances and the backends you can use), 'provider' each provider's offers right now "
                    + "(available offers, cheapest price per GPU model, health)."},
        footer = {
            "  gpuproxy-client load",
            "  gpuproxy-client load server",
            "  gpuproxy-client load provider",
            "  gpuproxy-client load pool my-llama",
            "  gpuproxy-client load instance 42 --format json"
        })
public final class LoadCommand extends ApiCommand {

    @Parameters(paramLabel = "[all | server | provider | pool <name> | instance <id>]", arity = "0..2",
            hideParamSyntax = true,
            description = "What to show (default: all).")
    List<String> scope;

    @Override
    protected void execute() {
        String kind = scope == null || scope.isEmpty() ? "all" : scope.get(0);
        if (kind.equals("server")) {
            requireArguments(1);
            Reply<ServerLoad> answer = api().get("/api/v1/loadbalancer/loads/server", ServerLoad.class);
            if (output().isJson()) {
                output().json(answer.json());
            } else {
                LoadTables.server(output(), answer.value());
            }
            return;
        }
        if (kind.equals("provider")) {
            requireArguments(1);
            Reply<ProviderLoads> answer = api().get("/api/v1/loadbalancer/loads/provider", ProviderLoads.class);
            if (output().isJson()) {
                output().json(answer.json());
            } else {
                LoadTables.providers(output(), answer.value());
            }
            return;
        }
        Reply<LoadList> answer = switch (kind) {
            case "all" -> {
                requireArguments(1);
                yield api().get("/api/v1/loadbalancer/loads", LoadList.class);
            }
            case "pool" -> {
                requireArguments(2);
                yield api().get("/api/v1/loadbalancer/loads", ApiClient.body("pool", scope.get(1)), LoadList.class);
            }
            case "instance" -> {
                requireArguments(2);
                if (!scope.get(1).matches("\\d{1,18}")) {
                    throw usageError("the instance id must be a number (got '" + scope.get(1) + "')");
                }
                yield api().get("/api/v1/loadbalancer/load", ApiClient.body("instance_id", scope.get(1)),
                        LoadList.class);
            }
            default -> throw usageError("expected all, server, provider, pool <name> or instance <id> (got '"
                    + kind + "')");
        };
        if (output().isJson()) {
            output().json(answer.json());
            return;
        }
        // One instance's backend comes as a single load, the other scopes as a list.
        List<BackendLoad> loads = answer.json().has("loads") ? answer.value().loads()
                : List.of(answer.as(BackendLoad.class));
        if (loads.isEmpty()) {
            output().note("No backends to show.");
            return;
        }
        if (answer.value().strategy() != null) {
            output().note("Strategy: " + answer.value().strategy());
        }
        Table table = Table.withColumns("Backend", "Pool", "Strategy", "URL", "Instance", "In flight", "Requests",
                "Errors", "Latency ms", "State");
        for (BackendLoad load : loads) {
            table.row(load.backendId(), load.pool(), load.poolStrategy(), load.url(), load.instanceId(),
                    load.inFlight(), load.requests(), load.errors(), Cells.latency(load.ewmaLatencyMs()),
                    Cells.ejection(load.ejected()));
        }
        output().table(table);
    }

    private void requireArguments(int expected) {
        int given = scope == null ? 0 : scope.size();
        if (given > expected || (expected == 2 && given < 2)) {
            throw usageError("expected all, server, provider, pool <name> or instance <id>");
        }
    }
}
