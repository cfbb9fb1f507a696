package dev.gpuproxy.server.common.error;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only endpoints that fail in each of the ways the error mapping must cover. */
@Path("/test-probe")
public class ErrorProbeResource {

    public record Order(@NotBlank String name, @Max(16) int count) {}

    @POST
    @Path("/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Order echo(@Valid Order order) {
        return order;
    }

    @GET
    @Path("/crash")
    public String crash() {
        throw new IllegalStateException("secret internals: password=hunter2");
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw ApiException.conflict("email_taken", "That email is already registered");
    }
}
