package dev.gpuproxy.cli.client.lb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tables of {@code load server} and {@code load provider}, as the seed product shows them. */
final class LoadTables {

    private LoadTables() {
    }

    /** One row per tracked GPU: your instances (with their backend's load) and the backends you can use. */
    static void server(Output output, JsonNode answer) {
        JsonNode gpus = answer.path("gpus");
        if (gpus.isEmpty()) {
            output.note("No GPUs tracked for you: rent one with 'create' or 'reserve'.");
            return;
        }
        Table table = Table.withColumns("Source", "Instance", "Provider", "GPU", "State", "Endpoint", "Pool",
                "In flight", "Requests", "Errors", "Latency ms");
        for (JsonNode gpu : gpus) {
            table.row(Json.text(gpu, "source"), Json.text(gpu, "instance_id"), Json.text(gpu, "provider"),
                    Json.text(gpu, "gpu_model"), Json.text(gpu, "state"),
                    gpu.hasNonNull("endpoint") ? Json.text(gpu, "endpoint") : Json.text(gpu, "url"),
                    Json.text(gpu, "pool"), Json.text(gpu, "in_flight"), Json.text(gpu, "requests"),
                    Json.text(gpu, "errors"),
                    String.format(Locale.ROOT, "%.1f", gpu.path("ewma_latency_ms").asDouble()));
        }
        output.table(table);
        output.note(answer.path("count").asInt() + " GPU(s), " + answer.path("in_flight").asInt()
                + " request(s) in flight, " + answer.path("requests").asLong() + " served.");
    }

    /** One row per provider: health, offers, and the cheapest GPU models with their price per GPU hour. */
    static void providers(Output output, JsonNode answer) {
        JsonNode providers = answer.path("providers");
        if (providers.isEmpty()) {
            output.note("No GPU providers are enabled on this server.");
            return;
        }
        Table table = Table.withColumns("Provider", "Status", "Offers", "Available", "Cheapest (USD/GPU/h)");
        for (JsonNode provider : providers) {
            List<String> cheapest = new ArrayList<>();
            for (JsonNode model : provider.path("cheapest")) {
                cheapest.add(Json.text(model, "gpu_model") + " "
                        + model.path("price_per_gpu_hour").decimalValue().setScale(2, java.math.RoundingMode.HALF_UP)
                        .toPlainString());
            }
            table.row(Json.text(provider, "provider"), Json.text(provider, "status"), Json.text(provider, "offers"),
                    Json.text(provider, "available"), cheapest.isEmpty() ? "-" : String.join(", ", cheapest));
        }
        output.table(table);
        for (JsonNode provider : providers) {
            if (provider.hasNonNull("message")) {
                output.note("warning: " + Json.text(provider, "provider") + ": " + Json.text(provider, "message"));
            }
        }
    }
}
