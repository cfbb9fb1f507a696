package dev.gpuproxy.server.admin.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.credit.service.UsageSummary;
import dev.gpuproxy.server.credit.service.UsageSummaryService;
import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.identity.account.service.UserView;
import dev.gpuproxy.server.identity.auth.rest.CreateKeyRequest;
import dev.gpuproxy.server.identity.auth.rest.KeyList;
import dev.gpuproxy.server.identity.auth.service.ApiKeyService;
import dev.gpuproxy.server.identity.auth.service.ApiKeyView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Operator endpoints for accounts: list, create, promote, change limits and status, keys and usage of a user. */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminUserResource {

    private final UserService users;
    private final ApiKeyService keys;
    private final UsageSummaryService usage;

    AdminUserResource(UserService users, ApiKeyService keys, UsageSummaryService usage) {
        this.users = users;
        this.keys = keys;
        this.usage = usage;
    }

    public record CreateUserRequest(@NotBlank @Size(max = 320) String email, @NotNull String password,
                                    @NotBlank @Size(max = 200) String name,
                                    @Pattern(regexp = "user|admin") String role) {}

    /** Quotas: a number sets the limit, -1 removes it; {@code quota_period} is day or month. */
    public record UpdateUserRequest(@Size(min = 1, max = 200) String name, Boolean active,
                                    @Positive @JsonProperty("rate_limit_per_minute") Integer rateLimitPerMinute,
                                    @Min(-1) @JsonProperty("max_requests") Long maxRequests,
                                    @Min(-1) @JsonProperty("max_gpu_hours") Long maxGpuHours,
                                    @Pattern(regexp = "day|month") @JsonProperty("quota_period") String quotaPeriod) {

        UserService.Quotas quotas() {
            Long gpuSeconds = maxGpuHours == null ? null
                    : maxGpuHours == UserService.UNLIMITED ? UserService.UNLIMITED : maxGpuHours * 3600;
            return new UserService.Quotas(maxRequests, gpuSeconds, quotaPeriod);
        }
    }

    @GET
    public UserService.Page list(@QueryParam("search") String search,
                                 @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                 @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return users.search(search, limit, offset);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateUserRequest request) {
        UserView user = users.create(request.email(), request.password(), request.name(),
                request.role() == null ? "user" : request.role());
        return Response.created(URI.create("/api/v1/admin/users/" + user.id())).entity(user).build();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") long id) {
        return users.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView update(@PathParam("id") long id, @Valid @NotNull UpdateUserRequest request) {
        return users.update(id, request.name(), request.active(), request.rateLimitPerMinute(), request.quotas());
    }

    @POST
    @Path("/{id}/admin")
    public UserView makeAdmin(@PathParam("id") long id) {
        return users.makeAdmin(id);
    }

    @POST
    @Path("/{id}/apikeys")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createApiKey(@PathParam("id") long id, @Valid @NotNull CreateKeyRequest request) {
        users.get(id);
        ApiKeyView key = keys.create(id, request.name(), request.expiresAt());
        return Response.status(201).entity(key).build();
    }

    @GET
    @Path("/{id}/apikeys")
    public KeyList apiKeys(@PathParam("id") long id) {
        users.get(id);
        return new KeyList(keys.list(id));
    }

    @GET
    @Path("/{id}/usage")
    public UsageSummary usage(@PathParam("id") long id) {
        users.get(id);
        return usage.summarize(id);
    }
}
