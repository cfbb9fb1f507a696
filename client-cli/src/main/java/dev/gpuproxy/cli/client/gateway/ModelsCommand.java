package dev.gpuproxy.cli.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Table;
import picocli.CommandLine.Command;

/** Lists the models the caller may use through the gateway. */
@Command(name = "models",
        description = "List the models you can use with 'chat' and the OpenAI-compatible API.",
        footer = {
            "  gpuproxy-client models",
            "  gpuproxy-client models --format json | jq -r '.data[].id'"
        })
public final class ModelsCommand extends ApiCommand {

    @Override
    protected void execute() {
        JsonNode list = api().get("/v1/models");
        if (output().isJson()) {
            output().json(list);
        } else if (list.path("data").isEmpty()) {
            output().note("No models: the operator has not configured any pool you can use.");
        } else {
            Table table = Table.withColumns("Model", "Owned by");
            for (JsonNode model : list.path("data")) {
                table.row(Json.text(model, "id"), Json.text(model, "owned_by"));
            }
            output().table(table);
        }
    }
}
