package dev.gpuproxy.cli.client.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
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
            JsonNode reservation = api().get(Reservations.RESERVATIONS + "/" + id);
            if (output().isJson()) {
                output().json(reservation);
            } else {
                Reservations.print(output(), reservation);
            }
            return;
        }
        JsonNode list = api().get(Reservations.RESERVATIONS);
        if (output().isJson()) {
            output().json(list);
        } else if (list.path("data").isEmpty()) {
            output().note("No reservations. Reserve GPUs with '" + toolName() + " reserve <count>'.");
        } else {
            output().table(Reservations.listTable(list.path("data")));
        }
    }
}
