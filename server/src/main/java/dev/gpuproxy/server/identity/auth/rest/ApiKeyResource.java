package dev.gpuproxy.server.identity.auth.rest;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.identity.auth.service.ApiKeyService;
import dev.gpuproxy.server.identity.auth.service.ApiKeyView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The caller's own API keys. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    @Path("/apikey")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateKeyRequest request) {
        ApiKeyView key = keys.create(Caller.userId(identity), request.name(), request.expiresAt());
        return Response.created(URI.create("/api/v1/auth/apikeys/" + key.id())).entity(key).build();
    }

    @GET
    @Path("/apikeys")
    public KeyList list() {
        return new KeyList(keys.list(Caller.userId(identity)));
    }

    @DELETE
    @Path("/apikeys/{id}")
    public Response revoke(@PathParam("id") long id) {
        keys.revoke(Caller.userId(identity), id);
        return Response.noContent().build();
    }
}
