package dev.gpuproxy.server.identity.auth.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.identity.account.service.UserView;
import dev.gpuproxy.server.identity.auth.security.CredentialIdentityProvider;
import dev.gpuproxy.server.identity.auth.service.AuthAttemptLimiter;
import dev.gpuproxy.server.identity.auth.service.AuthService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * Registration, login, refresh and logout. The public three are throttled per client address and (login) per account
 * before any work is done ({@link AuthAttemptLimiter}); they run on worker threads, so bcrypt never blocks the event
 * loop.
 */
@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;
    private final SecurityIdentity identity;
    private final AuthAttemptLimiter attempts;

    AuthResource(AuthService auth, SecurityIdentity identity, AuthAttemptLimiter attempts) {
        this.auth = auth;
        this.identity = identity;
        this.attempts = attempts;
    }

    public record RegisterRequest(@NotBlank @Size(max = 320) String email, @NotNull String password,
                                  @NotBlank @Size(max = 200) String name) {}

    public record LoginRequest(@NotBlank String email, @NotNull String password) {}

    public record RefreshRequest(@NotBlank @JsonProperty("refresh_token") String refreshToken) {}

    public record LogoutRequest(@JsonProperty("refresh_token") String refreshToken) {}

    public record UserEnvelope(UserView user) {}

    public record TokensView(@JsonProperty("access_token") String accessToken,
                             @JsonProperty("refresh_token") String refreshToken,
                             @JsonProperty("expires_at") Instant expiresAt) {
        static TokensView of(AuthService.TokenPair pair) {
            return new TokensView(pair.accessToken(), pair.refreshToken(), pair.expiresAt());
        }
    }

    public record LoginView(UserView user, TokensView tokens) {}

    public record RefreshView(TokensView tokens) {}

    @POST
    @Path("/register")
    @PermitAll
    public Response register(@Valid @NotNull RegisterRequest request, @Context HttpServerRequest http) {
        attempts.attempt(AuthAttemptLimiter.Action.REGISTER, ipOf(http), null);
        UserView user = auth.register(request.email(), request.password(), request.name());
        return Response.status(201).entity(new UserEnvelope(user)).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    public LoginView login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        String ip = ipOf(http);
        attempts.attempt(AuthAttemptLimiter.Action.LOGIN, ip, request.email());
        AuthService.LoginResult result = auth.login(request.email(), request.password(),
                new AuthService.ClientInfo(ip, http.getHeader("User-Agent")));
        attempts.loggedIn(request.email());
        return new LoginView(result.user(), TokensView.of(result.tokens()));
    }

    @POST
    @Path("/refresh")
    @PermitAll
    public RefreshView refresh(@Valid @NotNull RefreshRequest request, @Context HttpServerRequest http) {
        attempts.attempt(AuthAttemptLimiter.Action.REFRESH, ipOf(http), null);
        return new RefreshView(TokensView.of(auth.refresh(request.refreshToken())));
    }

    @POST
    @Path("/logout")
    @Authenticated
    public Response logout(LogoutRequest request) {
        String sessionId = identity.getAttribute(CredentialIdentityProvider.SESSION_ID);
        auth.logout(Caller.userId(identity), request == null ? null : request.refreshToken(), sessionId);
        return Response.noContent().build();
    }

    private static String ipOf(HttpServerRequest http) {
        return http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}
