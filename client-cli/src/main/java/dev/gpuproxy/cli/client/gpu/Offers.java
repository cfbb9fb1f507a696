package dev.gpuproxy.cli.client.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Table;

/** How GPU offers and instances look for people; JSON output is always the server's own objects. */
final class Offers {

    static final String INSTANCES = "/api/v1/gpu/instances";

    private Offers() {
    }

    static Table offerTable(JsonNode offers) {
        Table table = Table.withColumns("Provider", "Offer", "GPU", "GPUs", "VRAM GB", "USD/h", "Location",
                "Available");
        for (JsonNode offer : offers) {
            table.row(Json.text(offer, "provider"), Json.text(offer, "id"), Json.text(offer, "gpu_name"),
                    Json.text(offer, "gpu_count"), Json.number(offer, "vram_gb"), Json.text(offer, "price_per_hour"),
                    Json.text(offer, "location"), Json.text(offer, "available"));
        }
        return table;
    }

    static Table instanceTable(JsonNode instances) {
        Table table = Table.withColumns("ID", "Provider", "Instance", "GPU", "GPUs", "State", "USD/h", "Endpoint",
                "Created");
        for (JsonNode instance : instances) {
            table.row(Json.text(instance, "id"), Json.text(instance, "provider"),
                    Json.text(instance, "provider_instance_id"), Json.text(instance, "gpu_model"),
                    Json.text(instance, "gpu_count"), Json.text(instance, "state"),
                    Json.text(instance, "price_per_hour"), Json.text(instance, "endpoint"),
                    Json.text(instance, "created_at"));
        }
        return table;
    }

    static Details instanceDetails(JsonNode instance) {
        return new Details()
                .field("ID", instance, "id")
                .field("Provider", instance, "provider")
                .field("Instance", instance, "provider_instance_id")
                .field("Offer", instance, "offer_id")
                .field("GPU", instance, "gpu_model")
                .field("GPUs", instance, "gpu_count")
                .field("VRAM GB", instance, "vram_gb")
                .field("State", instance, "state")
                .field("USD/h", instance, "price_per_hour")
                .field("Endpoint", instance, "endpoint")
                .field("Created", instance, "created_at")
                .field("Ended", instance, "ended_at");
    }
}
