package dev.gpuproxy.cli.client.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
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
        JsonNode reservation = api().delete(Reservations.RESERVATIONS + "/" + id);
        if (output().isJson()) {
            output().json(reservation);
        } else {
            Reservations.print(output(), reservation);
        }
    }
}
