package dev.gpuproxy.server.gateway.admission;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.OnContext;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.ratelimit.RateLimitService;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link GatewayAdmission}'s steps for gRPC callers, who have no RoutingContext: authenticate, rate limit, quota and
 * the request hold, each refusal a gRPC status with a clear description and the gateway's code in the
 * {@value #CODE_KEY} trailer. Completes on the caller's Vert.x context.
 */
@ApplicationScoped
public class GrpcAdmission {

    /** Trailer naming the gateway's reason (insufficient_credits, rate_limit_exceeded, ...), for clients' branches. */
    static final String CODE_KEY = "gpuproxy-error-code";
    private static final Metadata.Key<String> CODE = Metadata.Key.of(CODE_KEY, Metadata.ASCII_STRING_MARSHALLER);

    private final SpendGuard spendGuard;
    private final GatewayAuthenticator authenticator;
    private final RateLimitService rateLimits;
    private final QuotaService quotas;

    GrpcAdmission(SpendGuard spendGuard, GatewayAuthenticator authenticator, RateLimitService rateLimits,
                  QuotaService quotas) {
        this.spendGuard = spendGuard;
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.quotas = quotas;
    }

    /** The caller behind {@code credential}, or a refusal (UNAUTHENTICATED). */
    public Future<GatewayCaller> authenticate(String credential, String ip) {
        Context context = Vertx.currentContext();
        Promise<GatewayCaller> result = Promise.promise();
        authenticator.authenticate(credential, ip).onComplete(done -> OnContext.run(context, v -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.fail(refusal(Status.UNAUTHENTICATED, "invalid_api_key",
                        done.cause() instanceof CredentialVerifier.Refused ? done.cause().getMessage()
                                : "Authentication failed"));
            }
        }));
        return result.future();
    }

    /** Authenticates, applies rate limit and quota, and holds the request's credit; whoever ends the call releases it. */
    public Future<GatewayCaller> admit(String credential, String ip) {
        Context context = Vertx.currentContext();
         return authenticate(credential, ip).compose(caller -> {
            Promise<GatewayCaller> admitted = Promise.promise();
            rateLimits.acquireFuture(caller.user()).onComplete(limited -> OnContext.run(context, v -> {
                if (limited.failed()) {
                    admitted.fail(refusal(Status.UNAVAILABLE, "rate_limiter_failed", "Rate limiter failed"));
                    return;
                }
                RateLimitDecision decision = limited.result();
                if (!decision.allowed()) {
                    admitted.fail(refusal(Status.RESOURCE_EXHAUSTED, "rate_limit_exceeded", "Rate limit of "
                            + decision.limit() + " requests per minute reached; retry in "
                            + Math.max(1, decision.retryAfterSeconds()) + " s"));
                    return;
                }
                try {
                    quotas.checkCached(caller.user(), 1);
                } catch (ApiException quota) {
                    admitted.fail(refusal(Status.RESOURCE_EXHAUSTED, "quota_exceeded", quota.detail()));
                    return;
                }
                hold(context, caller, admitted);
            }));
            return admitted.future();
        });
    }

    private void hold(Context context, GatewayCaller caller, Promise<GatewayCaller> admitted) {
        spendGuard.hold(caller.userId(), GatewayAdmission.REQUEST_HOLD_MICROS,
                GatewayAdmission.REQUEST_HOLD_MICROS).onComplete(result -> OnContext.run(context, v -> {
                    if (result.succeeded()) {
                        admitted.complete(caller);
                    } else if (result.cause() instanceof SpendGuard.InsufficientCredits insufficient) {
                        // Not RESOURCE_EXHAUSTED: retrying with backoff does not help until the caller tops up.
                        admitted.fail(refusal(Status.FAILED_PRECONDITION, "insufficient_credits",
                                "Insufficient credits: this request " + insufficient.getMessage()
                                        + "; top up to continue"));
                    } else {
                        Log.error("Credit check failed", result.cause());
                        admitted.fail(refusal(Status.UNAVAILABLE, "credit_check_failed", "Credit check failed"));
                    }
                }));
    }

    public static StatusRuntimeException refusal(Status status, String code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(CODE, code);
        return status.withDescription(message).asRuntimeException(trailers);
    }
}
