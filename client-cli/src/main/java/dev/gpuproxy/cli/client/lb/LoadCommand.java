package dev.gpuproxy.cli.client.lb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;
import java.util.Locale;
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
        if (kind.equals("server") || kind.equals("provider")) {
            requireArguments(1);
            JsonNode answer = api().get("/api/v1/loadbalancer/loads/" + kind);
            if (output().isJson()) {
                output().json(answer);
            } else if (kind.equals("server")) {
                LoadTables.server(output(), answer);
            } else {
                LoadTables.providers(output(), answer);
            }
            return;
        }
        JsonNode answer = switch (kind) {
            case "all" -> {
                requireArguments(1);
                yield api().get("/api/v1/loadbalancer/loads");
            }
            case "pool" -> {
                requireArguments(2);
                yield api().get("/api/v1/loadbalancer/loads", ApiClient.body("pool", scope.get(1)));
            }
            case "instance" -> {
                requireArguments(2);
                if (!scope.get(1).matches("\\d{1,18}")) {
                    throw usageError("the instance id must be a number (got '" + scope.get(1) + "')");
                }
                yield api().get("/api/v1/loadbalancer/load", ApiClient.body("instance_id", scope.get(1)));
            }
            default -> throw usageError("expected all, server, provider, pool <name> or instance <id> (got '"
                    + kind + "')");
        };
        if (output().isJson()) {
            output().json(answer);
            return;
        }
        JsonNode loads = answer.has("loads") ? answer.path("loads") : Json.MAPPER.createArrayNode().add(answer);
        if (loads.isEmpty()) {
            output().note("No backends to show.");
            return;
        }
        if (answer.hasNonNull("strategy")) {
            output().note("Strategy: " + answer.get("strategy").asText());
        }
        Table table = Table.withColumns("Backend", "Pool", "Strategy", "URL", "Instance", "In flight", "Requests",
                "Errors", "Latency ms", "State");
        for (JsonNode load : loads) {
            table.row(Json.text(load, "backend_id"), Json.text(load, "pool"), Json.text(load, "pool_strategy"),
                    Json.text(load, "url"), Json.text(load, "instance_id"), Json.text(load, "in_flight"),
                    Json.text(load, "requests"), Json.text(load, "errors"),
                    String.format(Locale.ROOT, "%.1f", load.path("ewma_latency_ms").asDouble()),
                    load.path("ejected").asBoolean() ? "ejected" : "ok");
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
