package dev.gpuproxy.server.testsupport;

import com.google.protobuf.ByteString;
import dev.gpuproxy.server.gateway.grpc.v2.GRPCInferenceServiceGrpc;
import dev.gpuproxy.server.gateway.grpc.v2.InferParameter;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ModelMetadataRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelMetadataResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ModelReadyRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelReadyResponse;
import io.grpc.Contexts;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Open Inference v2 gRPC model server on 127.0.0.1 (grpc-java, the same generated service the gateway serves), for
 * the gRPC gateway tests: every model but those named {@code unknown...} answers ModelReady, ModelMetadata and
 * ModelInfer (OUTPUT0 = 2 x the FP32 INPUT0, raw or typed, with a {@code served_by} parameter naming this stub).
 * It records each call's method, model and request metadata.
 */
public final class GrpcInferenceStub implements AutoCloseable {

    public record Call(String method, String model, Metadata headers, Object request) {
        public String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private static final Context.Key<Metadata> HEADERS = Context.key("headers");

    private final String name;
    private final Server server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public GrpcInferenceStub(String name) {
        this.name = name;
        ServerInterceptor keepHeaders = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(new Service(), keepHeaders)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The backend URL the gateway takes for it. */
    public String url() {
        return "grpc://127.0.0.1:" + port();
    }

    public List<Call> calls() {
        return calls;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

        @Override
        public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
            if (record("ModelReady", request.getName(), request, response)) {
                response.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
                response.onCompleted();
            }
        }

        @Override
        public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
            if (record("ModelMetadata", request.getName(), request, response)) {
                response.onNext(ModelMetadataResponse.newBuilder().setName(request.getName()).addVersions("1")
                        .setPlatform("onnxruntime_onnx").addInputs(ModelMetadataResponse.TensorMetadata.newBuilder()
                                .setName("INPUT0").setDatatype("FP32").addShape(1).addShape(-1))
                        .build());
                response.onCompleted();
            }
        }

        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
            if (!record("ModelInfer", request.getModelName(), request, response)) {
                return;
            }
            ModelInferRequest.InferInputTensor input = request.getInputs(0);
            ModelInferResponse.Builder answer = ModelInferResponse.newBuilder().setModelName(request.getModelName())
                    .setModelVersion("1").setId(request.getId())
                    .putParameters("served_by", InferParameter.newBuilder().setStringParam(name).build());
            ModelInferResponse.InferOutputTensor.Builder output = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName("OUTPUT0").setDatatype("FP32").addAllShape(input.getShapeList());
            if (request.getRawInputContentsCount() > 0) {
                ByteBuffer in = request.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                while (in.remaining() >= 4) {
                    out.putFloat(in.getFloat() * 2);
                }
                answer.addOutputs(output).addRawOutputContents(ByteString.copyFrom(out.array()));
            } else {
                var contents = dev.gpuproxy.server.gateway.grpc.v2.InferTensorContents.newBuilder();
                input.getContents().getFp32ContentsList().forEach(value -> contents.addFp32Contents(value * 2));
                answer.addOutputs(output.setContents(contents));
            }
            response.onNext(answer.build());
            response.onCompleted();
        }

        /** Records the call; answers NOT_FOUND (as Triton does) for models named unknown...; true = go on. */
        private boolean record(String method, String model, Object request, StreamObserver<?> response) {
            calls.add(new Call(method, model, HEADERS.get(), request));
            if (model.startsWith("unknown")) {
                response.onError(Status.NOT_FOUND.withDescription("Request for unknown model: '" + model
                        + "' is not found").asRuntimeException());
                return false;
            }
            return true;
        }
    }
}
