package dev.gpuproxy.cli.admin.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists backends with their live load-balancer state; keys only masked. */
@Command(name = "list", description = "List backends: in flight, requests, errors, latency, ejection, keys.",
        footer = {
            "  gpuproxy-admin backends list",
            "  gpuproxy-admin backends list --pool llama-3-8b --format json | jq '.data[] | {url, ejected}'"
        })
public final class ListBackendsCommand extends AdminApiCommand {

    @Option(names = "--pool", paramLabel = "<name>", description = "Only this pool's backends.")
    String pool;

    @Override
    protected void execute() {
        JsonNode backends = api().get(Lb.BACKENDS);
        if (pool != null) {
            ObjectNode filtered = backends.deepCopy();
            ArrayNode data = filtered.putArray("data");
            backends.path("data").forEach(b -> {
                if (b.path("pool").asText().equals(pool)) {
                    data.add(b);
                }
            });
            backends = filtered;
        }
        if (output().isJson()) {
            output().json(backends);
        } else if (backends.path("data").isEmpty()) {
            output().note("No backends. Add one with '" + toolName() + " backends add <pool> <kind> <url>'.");
        } else {
            output().table(Lb.backendTable(backends.path("data")));
        }
    }
}
