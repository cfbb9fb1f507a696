package dev.gpuproxy.cli.admin.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.api.model.Backend;
import dev.gpuproxy.api.model.BackendList;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
import java.util.ArrayList;
import java.util.List;
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
        Reply<BackendList> all = api().get(Lb.BACKENDS, BackendList.class);
        JsonNode shownJson = all.json();
        List<Backend> shown = all.value().data();
        if (pool != null) {
            // The server's JSON with only this pool's backends, each as the server wrote it.
            ObjectNode filtered = all.json().deepCopy();
            ArrayNode data = filtered.putArray("data");
            List<Backend> matching = new ArrayList<>();
            for (int i = 0; i < shown.size(); i++) {
                if (pool.equals(shown.get(i).pool())) {
                    matching.add(shown.get(i));
                    data.add(all.json().path("data").get(i));
                }
            }
            shownJson = filtered;
            shown = matching;
        }
        if (output().isJson()) {
            output().json(shownJson);
        } else if (shown.isEmpty()) {
            output().note("No backends. Add one with '" + toolName() + " backends add <pool> <kind> <url>'.");
        } else {
            output().table(Lb.backendTable(shown));
        }
    }
}
