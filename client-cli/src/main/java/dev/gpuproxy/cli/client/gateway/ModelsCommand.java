package dev.gpuproxy.cli.client.gateway;

import dev.gpuproxy.api.model.ModelInfo;
import dev.gpuproxy.api.model.ModelList;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
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
        Reply<ModelList> list = api().get("/v1/models", ModelList.class);
        if (output().isJson()) {
            output().json(list.json());
        } else if (list.value().data().isEmpty()) {
            output().note("No models: the operator has not configured any pool you can use.");
        } else {
            Table table = Table.withColumns("Model", "Owned by");
            for (ModelInfo model : list.value().data()) {
                table.row(model.id(), model.ownedBy());
            }
            output().table(table);
        }
    }
}
