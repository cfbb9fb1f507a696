package dev.gpuproxy.cli.client.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;

/** How reservations look for people; JSON output is the server's own objects. */
final class Reservations {

    static final String RESERVATIONS = "/api/v1/gpu/reservations";

    private Reservations() {
    }

    /** A reservation: a summary, the table of reserved GPUs and the providers' errors on stderr. */
    static void print(Output output, JsonNode reservation) {
        output.details(new Details()
                .field("Reservation", reservation, "reservation_id")
                .field("State", reservation, "state")
                .add("GPUs", Json.text(reservation, "count") + " of " + Json.text(reservation, "requested"))
                .field("Strategy", reservation, "strategy")
                .field("Pool", reservation, "pool")
                .field("Model", reservation, "model")
                .field("Created", reservation, "created_at")
                .field("Expires", reservation, "expires_at")
                .field("Released", reservation, "released_at"));
        JsonNode reserved = reservation.path("reserved");
        if (!reserved.isEmpty()) {
            Table table = Table.withColumns("Instance", "Provider", "Contract", "GPU", "VRAM GB", "USD/h", "State",
                    "Endpoint");
            for (JsonNode gpu : reserved) {
                table.row(Json.text(gpu, "instance_id"), Json.text(gpu, "provider"), Json.text(gpu, "contract_id"),
                        Json.text(gpu, "gpu_model"), Json.text(gpu, "vram"), Json.text(gpu, "price"),
                        Json.text(gpu, "state"), Json.text(gpu, "endpoint"));
            }
            output.line("");
            output.table(table);
        }
        for (JsonNode error : reservation.path("errors")) {
            output.note("warning: " + error.asText());
        }
    }

    static Table listTable(JsonNode reservations) {
        Table table = Table.withColumns("ID", "State", "GPUs", "Strategy", "Pool", "Created", "Expires");
        for (JsonNode r : reservations) {
            table.row(Json.text(r, "reservation_id"), Json.text(r, "state"),
                    Json.text(r, "count") + "/" + Json.text(r, "requested"), Json.text(r, "strategy"),
                    Json.text(r, "pool"), Json.text(r, "created_at"), Json.text(r, "expires_at"));
        }
        return table;
    }
}
