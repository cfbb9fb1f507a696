package dev.gpuproxy.cli.client.lb;

import dev.gpuproxy.api.model.CheapestGpu;
import dev.gpuproxy.api.model.ProviderLoad;
import dev.gpuproxy.api.model.ProviderLoads;
import dev.gpuproxy.api.model.ServerLoad;
import dev.gpuproxy.api.model.TrackedGpu;
import dev.gpuproxy.cli.common.output.Cells;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The tables of {@code load server} and {@code load provider}, as the seed product shows them. */
final class LoadTables {

    private LoadTables() {
    }

    /** One row per tracked GPU: your instances (with their backend's load) and the backends you can use. */
    static void server(Output output, ServerLoad answer) {
        if (answer.gpus().isEmpty()) {
            output.note("No GPUs tracked for you: rent one with 'create' or 'reserve'.");
            return;
        }
        Table table = Table.withColumns("Source", "Instance", "Provider", "GPU", "State", "Endpoint", "Pool",
                "In flight", "Requests", "Errors", "Latency ms");
        for (TrackedGpu gpu : answer.gpus()) {
            table.row(gpu.source(), gpu.instanceId(), gpu.provider(), gpu.gpuModel(), gpu.state(),
                    gpu.endpoint() != null ? gpu.endpoint() : gpu.url(), gpu.pool(), gpu.inFlight(), gpu.requests(),
                    gpu.errors(), Cells.latency(gpu.ewmaLatencyMs()));
        }
        output.table(table);
        output.note(orZero(answer.count()) + " GPU(s), " + orZero(answer.inFlight()) + " request(s) in flight, "
                + orZero(answer.requests()) + " served.");
    }

    /** One row per provider: health, offers, and the cheapest GPU models with their price per GPU hour. */
    static void providers(Output output, ProviderLoads answer) {
        if (answer.providers().isEmpty()) {
            output.note("No GPU providers are enabled on this server.");
            return;
        }
        Table table = Table.withColumns("Provider", "Status", "Offers", "Available", "Cheapest (USD/GPU/h)");
        for (ProviderLoad provider : answer.providers()) {
            List<String> cheapest = new ArrayList<>();
            for (CheapestGpu model : provider.cheapest()) {
                BigDecimal price = Objects.requireNonNullElse(model.pricePerGpuHour(), BigDecimal.ZERO);
                cheapest.add((model.gpuModel() == null ? "-" : model.gpuModel()) + " "
                        + price.setScale(2, RoundingMode.HALF_UP).toPlainString());
            }
            table.row(provider.provider(), provider.status(), provider.offers(), provider.available(),
                    cheapest.isEmpty() ? "-" : String.join(", ", cheapest));
        }
        output.table(table);
        for (ProviderLoad provider : answer.providers()) {
            if (provider.message() != null) {
                output.note("warning: " + (provider.provider() == null ? "-" : provider.provider()) + ": "
                        + provider.message());
            }
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
