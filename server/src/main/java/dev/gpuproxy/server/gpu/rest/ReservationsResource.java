package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.gpu.reservation.ReservationService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reservations: {@code POST /api/v1/gpu/instances/reserve} rents 1..16 GPUs at once, {@code GET /api/v1/gpu/reservations}
 * lists the caller's, {@code GET|DELETE /api/v1/gpu/reservations/{id}} shows or releases one (owner only).
 */
@Path("/api/v1/gpu/reservations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class ReservationsResource {

    private final ReservationService reservations;
    private final SecurityIdentity identity;

    ReservationsResource(ReservationService reservations, SecurityIdentity identity) {
        this.reservations = reservations;
        this.identity = identity;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReservedView(@JsonProperty("instance_id") long instanceId,
                               @JsonProperty("contract_id") String contractId, String provider,
                               @JsonProperty("gpu_model") String gpuModel, Integer vram, BigDecimal price,
                               String state, String endpoint) {
        static ReservedView of(ReservationService.Reserved r) {
            return new ReservedView(r.instanceId(), r.contractId(), r.provider(), r.gpuModel(), r.vram(), r.price(),
                    r.state(), r.endpoint());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReservationView(@JsonProperty("reservation_id") long reservationId, String state, String strategy,
                                  String pool, String model, List<ReservedView> reserved, int count, int requested,
                                  List<String> errors, @JsonProperty("all_or_nothing") boolean allOrNothing,
                                  @JsonProperty("created_at") Instant createdAt,
                                  @JsonProperty("expires_at") Instant expiresAt,
                                  @JsonProperty("released_at") Instant releasedAt) {
        static ReservationView of(ReservationService.Reservation r) {
            List<ReservedView> reserved = r.reserved().stream().map(ReservedView::of).toList();
            return new ReservationView(r.id(), r.state(), r.strategy(), r.pool(), r.model(), reserved,
                    reserved.size(), r.requested(), r.errors(), r.allOrNothing(), r.createdAt(), r.expiresAt(),
                    r.releasedAt());
        }
    }

    public record ReservationList(List<ReservationView> data, int count) {}

    /** {@code POST /api/v1/gpu/instances/reserve} (its own root: the instances resource owns the parent path). */
    @Path("/api/v1/gpu/instances/reserve")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ROLE_USER)
    public static class Reserve {

        private final ReservationService reservations;
        private final SecurityIdentity identity;

        Reserve(ReservationService reservations, SecurityIdentity identity) {
            this.reservations = reservations;
            this.identity = identity;
        }

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Response reserve(@Valid @NotNull ReserveRequest request, @HeaderParam("X-Timelimit") String timelimit) {
        ReserveRequest.Filters f = request.filters();
        Duration lifetime = shorter(request.durationMinutes() == null ? null
                : Duration.ofMinutes(request.durationMinutes()), timelimit(timelimit));
        ReservationService.Command command = new ReservationService.Command(request.count(),
                f == null ? null : new ReservationService.Filters(f.minVram(), f.maxPrice(), f.gpuModel(),
                        f.location(), f.providers()),
                new LaunchSpec(request.image(), request.env(), request.ports(), request.diskGb(), null, null, null,
                        null),
                request.strategy(), lifetime, request.allOrNothing() == null || request.allOrNothing(),
                request.model() == null || request.model().isBlank() ? null : request.model().strip());
        ReservationService.Reservation r = reservations.reserve(Caller.userId(identity), command);
        return Response.created(URI.create("/api/v1/gpu/reservations/" + r.id())).entity(ReservationView.of(r))
                .build();
    }
    }

    @GET
    public ReservationList list() {
        List<ReservationView> list = reservations.list(Caller.userId(identity)).stream().map(ReservationView::of)
                .toList();
        return new ReservationList(list, list.size());
    }

    @GET
    @Path("/{id}")
    public ReservationView get(@PathParam("id") long id) {
        return ReservationView.of(reservations.get(Caller.userId(identity), id));
    }

    @DELETE
    @Path("/{id}")
    public ReservationView release(@PathParam("id") long id) {
        return ReservationView.of(reservations.release(Caller.userId(identity), id));
    }

    /** X-Timelimit: seconds. */
    static Duration timelimit(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            if (seconds < 1) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("X-Timelimit must be a positive number of seconds");
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
