package dev.gpuproxy.server.gateway.grpc;

import dev.gpuproxy.server.gateway.grpc.v2.GRPCInferenceServiceGrpc;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ModelMetadataRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelMetadataResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ModelReadyRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelReadyResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ServerLiveRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerLiveResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ServerMetadataRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerMetadataResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ServerReadyRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerReadyResponse;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.admission.GrpcAdmission;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.GrpcBackendChannels;
import dev.gpuproxy.server.gateway.route.OpenInferenceRoutes;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}, KServe/Triton), served on the main HTTP
 * port: ServerLive/Ready/Metadata are the gateway's own; ModelReady, ModelMetadata and ModelInfer are routed by model
 * name to the {@code grpc://} backends of the model's pool, with the HTTP gateway's authentication, rate limits,
 * quota, credit hold, failover and per-request metering.
 */
@GrpcService
@RegisterInterceptor(GrpcCredentials.class)
public class OpenInferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final Gateway gateway;
    private final GrpcAdmission admission;
    private final GatewayAdmission requests;
    private final PoolRegistry registry;
    private final GrpcBackendChannels channels;

    OpenInferenceGrpcService(Gateway gateway, GrpcAdmission admission, GatewayAdmission requests,
                             PoolRegistry registry, GrpcBackendChannels channels) {
        this.gateway = gateway;
        this.admission = admission;
        this.requests = requests;
        this.registry = registry;
        this.channels = channels;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        admission.authenticate(credential(), ip()).onComplete(done -> {
            if (done.failed()) {
                response.onError(done.cause());
                return;
            }
            response.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
            response.onCompleted();
        });
    }

    /** Ready once some pool visible to the caller has a gRPC Open Inference backend. */
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        admission.authenticate(credential(), ip()).onComplete(done -> {
            if (done.failed()) {
                response.onError(done.cause());
                return;
            }
            boolean ready = registry.visibleTo(done.result().userId()).stream()
                    .anyMatch(OpenInferenceGrpcService::servesGrpc);
            response.onNext(ServerReadyResponse.newBuilder().setReady(ready).build());
            response.onCompleted();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        admission.authenticate(credential(), ip()).onComplete(done -> {
            if (done.failed()) {
                response.onError(done.cause());
                return;
            }
            response.onNext(ServerMetadataResponse.newBuilder().setName("gpuproxy").setVersion("2").build());
            response.onCompleted();
        });
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        forward(request.getName(), GRPCInferenceServiceGrpc.getModelReadyMethod(), request,
                (r, upstream) -> r.toBuilder().setName(upstream).build(), response);
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        forward(request.getName(), GRPCInferenceServiceGrpc.getModelMetadataMethod(), request,
                (r, upstream) -> r.toBuilder().setName(upstream).build(), response);
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        Optional<String> problem = OpenInferenceGrpcValidator.problem(request);
        if (problem.isPresent()) {
            // Refused before admission: a malformed request costs nothing and reaches no backend.
            response.onError(GrpcAdmission.refusal(Status.INVALID_ARGUMENT, "invalid_request", problem.get()));
            return;
        }
        forward(request.getModelName(), GRPCInferenceServiceGrpc.getModelInferMethod(), request,
                (r, upstream) -> r.toBuilder().setModelName(upstream).build(), response);
    }

    /** Admits the caller, routes {@code model} and carries the request (renamed to the pool's upstream model). */
    private <Q, R> void forward(String model, MethodDescriptor<Q, R> method, Q request,
                                BiFunction<Q, String, Q> withUpstreamModel, StreamObserver<R> response) {
        // The caller's deadline and cancellation travel on to the backend; read them while the call's context is current.
        io.grpc.Context call = io.grpc.Context.current();
        admission.admit(credential(), ip()).onComplete(admitted -> {
            if (admitted.failed()) {
                response.onError(admitted.cause());
                return;
            }
            GatewayCaller caller = admitted.result();
            var route = model.isBlank() ? Optional.<PoolRegistry.Route>empty() : registry.route(model, caller.userId());
            if (route.isEmpty() || !servesGrpc(route.get().pool())) {
                requests.release(caller);
                response.onError(GrpcAdmission.refusal(Status.NOT_FOUND, "model_not_found", "The model '" + model
                        + "' does not exist or you do not have access to it."));
                return;
            }
            String upstream = route.get().upstreamModel();
            new GrpcInferenceExchange<>(gateway, channels, requests, caller, route.get().pool(), upstream, method,
                    withUpstreamModel.apply(request, upstream), response, call).start();
        });
    }

    /**
     * Whether a pool serves Open Inference over gRPC: an {@code openinference} backend whose URL is {@code grpc://}
     * or {@code grpcs://}. Tenants' pools (their providers' HTTP endpoints) never qualify, so no gRPC call leaves
     * for an address the proxy target guard has not checked.
     */
    static boolean servesGrpc(Pool pool) {
        return pool.ownerUserId() == null && pool.backends().stream().anyMatch(backend ->
                OpenInferenceRoutes.KIND.equals(backend.kind()) && GrpcBackendChannels.isGrpc(backend.url()));
    }

    private static String credential() {
        return GrpcCredentials.CREDENTIAL.get();
    }

    private static String ip() {
        return GrpcCredentials.IP.get();
    }
}
