package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.account.service.UserSnapshot;
import dev.gpuproxy.server.auth.security.CredentialIdentityProvider;
import dev.gpuproxy.server.common.error.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Applies the caller's token bucket to every authenticated REST request: 429 problem with Retry-After when empty, and
 * X-RateLimit-Limit / -Remaining / -Reset (seconds until the bucket is full) on every answer.
 */
public class RateLimitFilters {

    private static final String DECISION = RateLimitFilters.class.getName() + ".decision";

    private final CurrentIdentityAssociation identities;
    private final RateLimitService limits;

    RateLimitFilters(CurrentIdentityAssociation identities, RateLimitService limits) {
        this.identities = identities;
        this.limits = limits;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        return identities.getDeferredIdentity()
                // A bad credential is the endpoint's business (public ones ignore it, protected ones answer 401).
                .onFailure().recoverWithNull()
                .chain(identity -> {
                    UserSnapshot user = userOf(identity);
                    if (user == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return limits.acquire(user).map(decision -> {
                        request.setProperty(DECISION, decision);
                        return decision.allowed() ? null : tooManyRequests(decision);
                    });
                });
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimitDecision decision) {
            response.getHeaders().putSingle("X-RateLimit-Limit", decision.limit());
            response.getHeaders().putSingle("X-RateLimit-Remaining", decision.remaining());
            response.getHeaders().putSingle("X-RateLimit-Reset", decision.resetSeconds());
        }
    }

    private static UserSnapshot userOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getAttribute(CredentialIdentityProvider.USER);
    }

    private static Response tooManyRequests(RateLimitDecision decision) {
        return Problem.of(429, "rate_limited", "Rate limit of " + decision.limit()
                        + " requests per minute reached; retry in " + decision.retryAfterSeconds() + " s")
                .responseBuilder()
                .header("Retry-After", decision.retryAfterSeconds())
                .build();
    }
}
