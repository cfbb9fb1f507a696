package dev.gpuproxy.server.identity.account.rest;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.identity.account.service.AccountExport;
import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.identity.account.service.UserView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The caller's own account. */
@Path("/api/v1/user")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class UserResource {

    private final UserService users;
    private final AccountExport export;
    private final SecurityIdentity identity;

    UserResource(UserService users, AccountExport export, SecurityIdentity identity) {
        this.users = users;
        this.export = export;
        this.identity = identity;
    }

    @GET
    @Path("/me")
    public UserView me() {
        return users.get(Caller.userId(identity));
    }

    /**
     * Everything stored about the caller (never secrets or hashes): account, keys, wallet, ledger, payments, usage,
     * instances, reservations and sessions, streamed as it is read.
     */
    @GET
    @Path("/export")
    public Response export() {
        return Response.ok(export.stream(Caller.userId(identity)), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"gpuproxy-export.json\"")
                .build();
    }
}
