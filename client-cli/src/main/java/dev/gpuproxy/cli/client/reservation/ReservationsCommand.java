package dev.gpuproxy.cli.client.reservation;

import dev.gpuproxy.api.model.Reservation;
import dev.gpuproxy.api.model.ReservationList;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Lists the caller's reservations, or shows one with its GPUs. */
@Command(name = "reservations",
        description = "List your GPU reservations, or show one with the GPUs it holds.",
        footer = {
            "  gpuproxy-client reservations",
            "  gpuproxy-client reservations 12",
            "  gpuproxy-client reservations 12 --format json | jq -r '.reserved[].endpoint'"
        })
public final class ReservationsCommand extends ApiCommand {

    @Parameters(paramLabel = "<id>", arity = "0..1", description = "One reservation's id.")
    Long id;

    @Override
    protected void execute() {
        if (id != null) {
            Reply<Reservation> reservation = api().get(Reservations.RESERVATIONS + "/" + id, Reservation.class);
            if (output().isJson()) {
                output().json(reservation.json());
            } else {
                Reservations.print(output(), reservation.value());
            }
            return;
        }
        Reply<ReservationList> list = api().get(Reservations.RESERVATIONS, ReservationList.class);
        if (output().isJson()) {
            output().json(list.json());
        } else if (list.value().data().isEmpty()) {
            output().note("No reservations. Reserve GPUs with '" + toolName() + " reserve <count>'.");
        } else {
            output().table(Reservations.listTable(list.value().data()));
        }
    }
}
