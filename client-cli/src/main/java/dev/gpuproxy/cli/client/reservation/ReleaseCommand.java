package dev.gpuproxy.cli.client.reservation;

import dev.gpuproxy.api.model.Reservation;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Releases a reservation and every GPU it holds. */
@Command(name = "release",
        description = "Release a reservation and all its GPUs; shows the final state.",
        footer = {"  gpuproxy-client release 12"})
public final class ReleaseCommand extends ApiCommand {

    @Parameters(paramLabel = "<reservation-id>", description = "The reservation's id (see 'reservations').")
    long id;

    @Override
    protected void execute() {
        Reply<Reservation> reservation = api().delete(Reservations.RESERVATIONS + "/" + id, Reservation.class);
        if (output().isJson()) {
            output().json(reservation.json());
        } else {
            Reservations.print(output(), reservation.value());
        }
    }
}
