package dev.gpuproxy.server.gateway.grpc;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import dev.gpuproxy.lb.FailureKind;
import dev.gpuproxy.lb.KeyPool;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.GrpcBackendChannels;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One unary Open Inference gRPC call carried to a {@code grpc://} backend of the routed pool: pick a backend (and key),
 * call it, and on an answer the backend is to blame for (unreachable, overloaded, failing, a bad key, "no such model")
 * try another within the attempt limit and the retry budget, as {@link ProxyExchange} does for HTTP. Every attempt
 * updates the backend's live state; a call a backend answered is metered as one request, a call nothing answered only
 * releases its hold. Runs on the caller's Vert.x context.
 */
final class GrpcInferenceExchange<Q, R> {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Gateway gateway;
    private final GrpcBackendChannels channels;
    private final GatewayAdmission admission;
    private final GatewayCaller caller;
    private final Pool pool;
    private final String model;
    private final MethodDescriptor<Q, R> method;
    private final Q request;
    private final StreamObserver<R> client;
    /** The client's call: its deadline travels on, its cancellation cancels the backend call. */
    private final io.grpc.Context call;
    private final Deadline clientDeadline;
    private final Context context = Vertx.currentContext();

    private int attempts;
    private boolean finished;
    private Backend activeBackend;
    private long activeStart;
    private ClientCall<Q, R> upstream;
    private String lastFailure = "no backend was tried";

    GrpcInferenceExchange(Gateway gateway, GrpcBackendChannels channels, GatewayAdmission admission,
                          GatewayCaller caller, Pool pool, String model, MethodDescriptor<Q, R> method, Q request,
                          StreamObserver<R> client, io.grpc.Context call) {
        this.gateway = gateway;
        this.channels = channels;
        this.admission = admission;
        this.caller = caller;
        this.pool = pool;
        this.model = model;
        this.method = method;
        this.request = request;
        this.client = client;
        this.call = call;
        this.clientDeadline = call.getDeadline();
    }

    void start() {
        gateway.retryBudget.onRequest();
        // Also fires once the call completed normally; cancelled() then has nothing left to do.
        call.addListener(cancelled -> context.runOnContext(v -> cancelled()), Runnable::run);
        attempt(null);
    }

    private void attempt(Backend avoid) {
        long now = System.nanoTime();
        Backend backend = pool.pick(now, model, avoid);
        if (backend == null || !backend.serves(model) || (backend == avoid && attempts > 0)) {
            fail(attempts == 0 ? Status.NOT_FOUND.withDescription("The model '" + model
                    + "' does not exist or you do not have access to it.")
                    : Status.UNAVAILABLE.withDescription("Every backend for model " + model + " failed; last: "
                    + lastFailure), false);
            return;
        }
        attempts++;
        if (!GrpcBackendChannels.isGrpc(backend.url())) {
            // An HTTP backend in the same pool cannot take a gRPC call; it is skipped, not blamed.
            lastFailure = "backend " + backend.id() + " speaks HTTP, not gRPC";
            retryOr(backend, Status.UNAVAILABLE.withDescription("No gRPC backend for model " + model
                    + "; its pool has only HTTP backends"), false);
            return;
        }
        BackendKey key = null;
        KeyPool keys = backend.keys();
        if (!keys.isEmpty()) {
            KeyPool.Choice choice = keys.acquire(now);
            if (choice.key() == null) {
                lastFailure = "every API key of backend " + backend.id() + " is at its rate limit";
                retryOr(backend, Status.RESOURCE_EXHAUSTED.withDescription("Every API key of the backends for "
                        + model + " is at its rate limit; retry later"), false);
                return;
            }
            key = choice.key();
        }
        backend.start(now);
        activeBackend = backend;
        activeStart = now;
        call(backend, key);
    }

    private void call(Backend backend, BackendKey key) {
        Deadline deadline = Deadline.after(gateway.config.firstByteTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (clientDeadline != null && clientDeadline.isBefore(deadline)) {
            deadline = clientDeadline;
        }
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(AUTHORIZATION, "Bearer " + key.secret());
        }
        ClientCall<Q, R> backendCall = ClientInterceptors.intercept(channels.channel(backend.url()),
                        MetadataUtils.newAttachHeadersInterceptor(headers))
                .newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
        upstream = backendCall;
        ClientCalls.asyncUnaryCall(backendCall, request, new StreamObserver<>() {
            private R answer;

            @Override
            public void onNext(R value) {
                answer = value;
            }

            @Override
            public void onError(Throwable error) {
                context.runOnContext(v -> failed(backend, key, Status.fromThrowable(error)));
            }

            @Override
            public void onCompleted() {
                context.runOnContext(v -> answered(backend, answer));
            }
        });
    }

    private void answered(Backend backend, R answer) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        backend.firstByte(now - activeStart, now);
        endAttempt(null);
        finished = true;
        admission.meterRequest(caller);
        client.onNext(answer);
        client.onCompleted();
    }

    private void failed(Backend backend, BackendKey key, Status status) {
        if (finished) {
            endAttempt(FailureKind.CLIENT_ERROR);
            return;
        }
        long now = System.nanoTime();
        lastFailure = "backend " + backend.id() + ": " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription());
        FailureKind failure = switch (status.getCode()) {
            case UNAVAILABLE -> FailureKind.CONNECT;
            case RESOURCE_EXHAUSTED -> FailureKind.RATE_LIMITED;
            case UNAUTHENTICATED, PERMISSION_DENIED -> FailureKind.BAD_CREDENTIAL;
            case NOT_FOUND -> FailureKind.CLIENT_ERROR;
            case INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED -> FailureKind.SERVER_ERROR;
            case DEADLINE_EXCEEDED -> clientDeadline != null && clientDeadline.isExpired() ? FailureKind.CLIENT_ERROR
                    : FailureKind.SERVER_ERROR;
            default -> null;
        };
        if (failure == null) {
            // The caller's own mistake (INVALID_ARGUMENT, ...): the backend answered it, so it counts as a request.
            endAttempt(FailureKind.CLIENT_ERROR);
            finished = true;
            admission.meterRequest(caller);
            client.onError(status.asRuntimeException());
            return;
        }
        if (key != null) {
            switch (failure) {
                case RATE_LIMITED -> key.coolDown(now + 10_000_000_000L);
                case BAD_CREDENTIAL -> key.disable("gRPC " + status.getCode() + " from the backend at " + Instant.now());
                case SERVER_ERROR -> key.serverError();
                default -> { }
            }
        }
        if (status.getCode() == Status.Code.NOT_FOUND) {
            backend.doesNotServe(model);
        }
        endAttempt(failure);
        if (failure == FailureKind.CLIENT_ERROR && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            fail(status, false);
            return;
        }
        retryOr(backend, status.getCode() == Status.Code.UNAVAILABLE
                ? Status.UNAVAILABLE.withDescription("Backend unreachable: " + lastFailure) : status, false);
    }

    /** Tries another backend if the attempt limit and retry budget allow, else ends the call with {@code status}. */
    private void retryOr(Backend failed, Status status, boolean meter) {
        Backend next = pool.pick(System.nanoTime(), model, failed);
        if (attempts < gateway.config.maxAttempts() && next != null && next != failed && next.serves(model)
                && gateway.retryBudget.tryRetry()) {
            attempt(failed);
            return;
        }
        fail(status, meter);
    }

    private void fail(Status status, boolean meter) {
        if (finished) {
            return;
        }
        finished = true;
        if (meter) {
            admission.meterRequest(caller);
        } else {
            admission.release(caller);
        }
        client.onError(new StatusRuntimeException(status));
    }

    private void cancelled() {
        if (finished) {
            return;
        }
        finished = true;
        if (upstream != null) {
            upstream.cancel("the client cancelled", null);
        }
        endAttempt(FailureKind.CLIENT_ERROR);
        admission.release(caller);
    }

    /** Ends the current attempt's hold on its backend, once: null = success, else how it failed. */
    private void endAttempt(FailureKind failure) {
        Backend backend = activeBackend;
        if (backend == null) {
            return;
        }
        activeBackend = null;
        pool.recordOutcome(backend, failure, activeStart);
    }
}
