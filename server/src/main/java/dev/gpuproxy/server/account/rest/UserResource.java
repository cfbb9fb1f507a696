package dev.gpuproxy.server.account.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.account.service.UserService;
import dev.gpuproxy.server.account.service.UserView;
import dev.gpuproxy.server.auth.security.Caller;
import dev.gpuproxy.server.auth.service.ApiKeyService;
import dev.gpuproxy.server.auth.service.ApiKeyView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The caller's own account. */
@Path("/api/v1/user")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class UserResource {

    private final UserService users;
    private final ApiKeyService keys;
    private final SecurityIdentity identity;

    UserResource(UserService users, ApiKeyService keys, SecurityIdentity identity) {
        this.users = users;
        this.keys = keys;
        this.identity = identity;
    }

    public record AccountExport(UserView user, @JsonProperty("api_keys") List<ApiKeyView> apiKeys,
                                @JsonProperty("exported_at") Instant exportedAt) {}

    @GET
    @Path("/me")
    public UserView me() {
        return users.get(Caller.userId(identity));
    }

    /** Everything stored about the caller that they may see (never secrets or hashes). */
    @GET
    @Path("/export")
    public AccountExport export() {
        long userId = Caller.userId(identity);
        return new AccountExport(users.get(userId), keys.list(userId), Instant.now());
    }
}
