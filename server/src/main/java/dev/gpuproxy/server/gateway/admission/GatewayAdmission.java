package dev.gpuproxy.server.gateway.admission;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.OnContext;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.ratelimit.RateLimitService;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The admission steps of every gateway protocol: authenticate, rate limit, quota, and a hold against the caller's
 * credits, answering refusals in the protocol's own error shape. Request-metered protocols (Open Inference, the HTTP
 * envelope, instance pass-through) hold {@link #REQUEST_HOLD_MICROS} through {@link #admit}; the OpenAI routes hold
 * their token estimate. Whoever ends the exchange releases the hold.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class GatewayAdmission {

    /** What a request-metered call holds while it runs: enough to refuse a caller with no credits left. */
    public static final long REQUEST_HOLD_MICROS = 1;

    private final SpendGuard spendGuard;
    private final UsageMeter meter;
    private final GatewayAuthenticator authenticator;
    private final RateLimitService rateLimits;
    private final QuotaService quotas;

    GatewayAdmission(SpendGuard spendGuard, UsageMeter meter, GatewayAuthenticator authenticator,
                     RateLimitService rateLimits, QuotaService quotas) {
        this.spendGuard = spendGuard;
        this.meter = meter;
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.quotas = quotas;
    }

    /** Runs {@code admitted} on the request's event loop once the caller passed every check and holds its credit. */
    public void admit(RoutingContext context, ErrorWriter errors, Consumer<GatewayCaller> admitted) {
         authorize(context, errors, caller -> hold(context, errors, caller, REQUEST_HOLD_MICROS, admitted));
    }

    /**
     * Authenticates, applies the caller's rate limit (headers on every answer) and quota, then runs {@code authorized}
     * on the request's event loop; refusals are answered in the protocol's shape.
     */
    public void authorize(RoutingContext context, ErrorWriter errors, Consumer<GatewayCaller> authorized) {
        // Redis and worker callbacks arrive on other threads; everything after runs on the request's event loop.
        Context requestContext = Vertx.currentContext();
        authenticator.authenticate(context)
                .onFailure(error -> OnContext.run(requestContext, v -> errors.unauthorized(context.response(),
                        error instanceof CredentialVerifier.Refused ? error.getMessage() : "Authentication failed")))
                .onSuccess(caller -> rateLimits.acquireFuture(caller.user()).onComplete(limited ->
                        OnContext.run(requestContext, v -> {
                            if (limited.failed()) {
                                errors.send(context.response(), 502, "rate_limiter_failed", "Rate limiter failed");
                            } else {
                                withinLimits(context, errors, caller, limited.result(), authorized);
                            }
                        })));
    }

    /** The rate limit's headers on every answer; then the limit and the quota decide whether {@code authorized} runs. */
    private void withinLimits(RoutingContext context, ErrorWriter errors, GatewayCaller caller,
                              RateLimitDecision decision, Consumer<GatewayCaller> authorized) {
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
        try {
            authorized.accept(caller);
        } catch (RuntimeException e) {
            context.fail(e);
        }
    }

    /**
     * Holds {@code micros} of the caller's credits (402 in the protocol's shape when they do not fit), then runs
     * {@code held} on the request's event loop. Whoever ends the call releases the hold.
     */
    public void hold(RoutingContext context, ErrorWriter errors, GatewayCaller caller, long micros,
              Consumer<GatewayCaller> held) {
         hold(context, errors, caller, micros, micros, amount -> held.accept(caller));
    }

    /**
     * Holds as much of {@code maxMicros} as the caller can spend, at least {@code minMicros} (402 in the protocol's
     * shape when not even that fits), then runs {@code held} with the amount on the request's event loop. Whoever
     * ends the call releases the hold.
     */
    public void hold(RoutingContext context, ErrorWriter errors, GatewayCaller caller, long minMicros, long maxMicros,
              LongConsumer held) {
        Context requestContext = Vertx.currentContext();
        spendGuard.hold(caller.userId(), minMicros, maxMicros).onComplete(result ->
                OnContext.run(requestContext, v -> {
                    if (result.failed()) {
                        if (result.cause() instanceof SpendGuard.InsufficientCredits insufficient) {
                            errors.send(context.response(), 402, "insufficient_credits", "Insufficient credits: "
                                    + "this request " + insufficient.getMessage() + "; top up to continue");
                        } else {
                            Log.error("Credit check failed", result.cause());
                            errors.send(context.response(), 502, "credit_check_failed", "Credit check failed");
                        }
                        return;
                    }
                    long amount = result.result();
                    try {
                        held.accept(amount);
                    } catch (RuntimeException e) {
                        spendGuard.complete(caller.userId(), amount, 0);
                        context.fail(e);
                    }
                }));
    }

    /** Ends a request-metered call: releases its hold and meters one request (no tokens, no charge). */
    public void meterRequest(GatewayCaller caller) {
        spendGuard.complete(caller.userId(), REQUEST_HOLD_MICROS, 0);
        meter.record(new dev.gpuproxy.server.credit.service.UsageEvent(caller.userId(), caller.clientId(),
                caller.ip(), 1, 0, 0, 0, 0, java.time.Instant.now()));
    }

    /** Ends a call that delivered nothing: releases its hold without metering. */
    public void release(GatewayCaller caller) {
        spendGuard.complete(caller.userId(), REQUEST_HOLD_MICROS, 0);
    }

    /** X-Timelimit in milliseconds: 0 = none, -1 = invalid. */
    public static long timeLimitMillis(RoutingContext context) {
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
