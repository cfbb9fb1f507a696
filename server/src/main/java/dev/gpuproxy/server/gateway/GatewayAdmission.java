package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.ratelimit.RateLimitService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * The admission steps of the request-metered protocols (Open Inference, the HTTP envelope, instance pass-through):
 * authenticate, rate limit, quota, and hold {@link #REQUEST_HOLD_MICROS} against the caller's credits, answering
 * refusals in the protocol's own error shape. The caller of {@link #admit} releases the hold when its exchange ends.
 */
@ApplicationScoped
public class GatewayAdmission {

    /** What a request-metered call holds while it runs: enough to refuse a caller with no credits left. */
    static final long REQUEST_HOLD_MICROS = 1;

    private final Gateway gateway;
    private final GatewayAuthenticator authenticator;
    private final RateLimitService rateLimits;
    private final QuotaService quotas;

    GatewayAdmission(Gateway gateway, GatewayAuthenticator authenticator, RateLimitService rateLimits,
                     QuotaService quotas) {
        this.gateway = gateway;
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.quotas = quotas;
    }

    /** Runs {@code admitted} on the request's event loop once the caller passed every check and holds its credit. */
    void admit(RoutingContext context, ErrorWriter errors, Consumer<GatewayCaller> admitted) {
        Context requestContext = Vertx.currentContext();
        authenticator.authenticate(context)
                .onFailure(error -> requestContext.runOnContext(v -> errors.unauthorized(context.response(),
                        error instanceof GatewayAuthenticator.Refused ? error.getMessage() : "Authentication failed")))
                .onSuccess(caller -> rateLimits.acquire(caller.user()).subscribe().with(decision ->
                        requestContext.runOnContext(v -> {
                            context.response().putHeader("X-RateLimit-Limit", String.valueOf(decision.limit()));
                            context.response().putHeader("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
                            context.response().putHeader("X-RateLimit-Reset", String.valueOf(decision.resetSeconds()));
                            if (!decision.allowed()) {
                                errors.rateLimited(context.response(), decision.retryAfterSeconds(),
                                        "Rate limit of " + decision.limit() + " requests per minute reached");
                                return;
                            }
                            try {
                                quotas.checkCached(caller.user(), 1);
                            } catch (ApiException quota) {
                                errors.rateLimited(context.response(), Long.parseLong(quota.headers()
                                        .getOrDefault("Retry-After", "60")), quota.detail());
                                return;
                            }
                            hold(context, errors, caller, requestContext, admitted);
                        }), error -> requestContext.runOnContext(v -> errors.send(context.response(), 502,
                                "rate_limiter_failed", "Rate limiter failed"))));
    }

    private void hold(RoutingContext context, ErrorWriter errors, GatewayCaller caller, Context requestContext,
                      Consumer<GatewayCaller> admitted) {
        gateway.spendGuard.hold(caller.userId(), REQUEST_HOLD_MICROS).onComplete(held -> requestContext.runOnContext(v -> {
            if (held.failed()) {
                if (held.cause() instanceof SpendGuard.InsufficientCredits insufficient) {
                    errors.send(context.response(), 402, "insufficient_credits", "Insufficient credits: this request "
                            + insufficient.getMessage() + "; top up to continue");
                } else {
                    errors.send(context.response(), 502, "credit_check_failed", "Credit check failed");
                }
                return;
            }
            try {
                admitted.accept(caller);
            } catch (RuntimeException e) {
                release(caller);
                context.fail(e);
            }
        }));
    }

    /** Ends a request-metered call: releases its hold and meters one request (no tokens, no charge). */
    void meterRequest(GatewayCaller caller) {
        gateway.spendGuard.complete(caller.userId(), REQUEST_HOLD_MICROS, 0);
        gateway.meter.record(new dev.gpuproxy.server.credit.service.UsageEvent(caller.userId(), caller.clientId(),
                caller.ip(), 1, 0, 0, 0, 0, java.time.Instant.now()));
    }

    /** Ends a call that delivered nothing: releases its hold without metering. */
    void release(GatewayCaller caller) {
        gateway.spendGuard.complete(caller.userId(), REQUEST_HOLD_MICROS, 0);
    }

    /** X-Timelimit in milliseconds: 0 = none, -1 = invalid. */
    static long timeLimitMillis(RoutingContext context) {
        String value = context.request().getHeader("X-Timelimit");
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds > 0 ? (long) (seconds * 1000) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
