package dev.gpuproxy.cli.client.reservation;

import dev.gpuproxy.api.model.Reservation;
import dev.gpuproxy.api.model.ReservedGpu;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;

/** How reservations look for people; JSON output is the server's own objects. */
final class Reservations {

    static final String RESERVATIONS = "/api/v1/gpu/reservations";

    private Reservations() {
    }

    /** A reservation: a summary, the table of reserved GPUs and the providers' errors on stderr. */
    static void print(Output output, Reservation reservation) {
        output.details(new Details()
                .add("Reservation", reservation.reservationId())
                .add("State", reservation.state())
                .add("GPUs", orDash(reservation.count()) + " of " + orDash(reservation.requested()))
                .add("Strategy", reservation.strategy())
                .add("Pool", reservation.pool())
                .add("Model", reservation.model())
                .add("Created", reservation.createdAt())
                .add("Expires", reservation.expiresAt())
                .add("Released", reservation.releasedAt()));
        if (!reservation.reserved().isEmpty()) {
            Table table = Table.withColumns("Instance", "Provider", "Contract", "GPU", "VRAM GB", "USD/h", "State",
                    "Endpoint");
            for (ReservedGpu gpu : reservation.reserved()) {
                table.row(gpu.instanceId(), gpu.provider(), gpu.contractId(), gpu.gpuModel(), gpu.vram(), gpu.price(),
                        gpu.state(), gpu.endpoint());
            }
            output.line("");
            output.table(table);
        }
        for (String error : reservation.errors()) {
            output.note("warning: " + error);
        }
    }

    static Table listTable(List<Reservation> reservations) {
        Table table = Table.withColumns("ID", "State", "GPUs", "Strategy", "Pool", "Created", "Expires");
        for (Reservation r : reservations) {
            table.row(r.reservationId(), r.state(), orDash(r.count()) + "/" + orDash(r.requested()), r.strategy(),
                    r.pool(), r.createdAt(), r.expiresAt());
        }
        return table;
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
