package dev.gpuproxy.cli.client.gpu;

import dev.gpuproxy.api.model.GpuInstance;
import dev.gpuproxy.api.model.GpuOffer;
import dev.gpuproxy.cli.common.output.Cells;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;

/** How GPU offers and instances look for people; JSON output is always the server's own objects. */
final class Offers {

    static final String INSTANCES = "/api/v1/gpu/instances";

    private Offers() {
    }

    static Table offerTable(List<GpuOffer> offers) {
        Table table = Table.withColumns("Provider", "Offer", "GPU", "GPUs", "VRAM GB", "USD/h", "Location",
                "Available");
        for (GpuOffer offer : offers) {
            table.row(offer.provider(), offer.id(), offer.gpuName(), offer.gpuCount(), Cells.number(offer.vramGb()),
                    offer.pricePerHour(), offer.location(), offer.available());
        }
        return table;
    }

    static Table instanceTable(List<GpuInstance> instances) {
        Table table = Table.withColumns("ID", "Provider", "Instance", "GPU", "GPUs", "State", "USD/h", "Endpoint",
                "Created");
        for (GpuInstance instance : instances) {
            table.row(instance.id(), instance.provider(), instance.providerInstanceId(), instance.gpuModel(),
                    instance.gpuCount(), instance.state(), instance.pricePerHour(), instance.endpoint(),
                    instance.createdAt());
        }
        return table;
    }

    static Details instanceDetails(GpuInstance instance) {
        return new Details()
                .add("ID", instance.id())
                .add("Provider", instance.provider())
                .add("Instance", instance.providerInstanceId())
                .add("Offer", instance.offerId())
                .add("GPU", instance.gpuModel())
                .add("GPUs", instance.gpuCount())
                .add("VRAM GB", instance.vramGb())
                .add("State", instance.state())
                .add("USD/h", instance.pricePerHour())
                .add("Endpoint", instance.endpoint())
                .add("Created", instance.createdAt())
                .add("Ended", instance.endedAt());
    }
}
