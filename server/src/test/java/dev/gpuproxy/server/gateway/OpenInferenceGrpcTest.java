package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.gateway.grpc.v2.GRPCInferenceServiceGrpc;
import dev.gpuproxy.server.gateway.grpc.v2.InferTensorContents;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferResponse;
import dev.gpuproxy.server.gateway.grpc.v2.ModelMetadataRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ModelReadyRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerLiveRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerMetadataRequest;
import dev.gpuproxy.server.gateway.grpc.v2.ServerReadyRequest;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.GrpcInferenceStub;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open Inference v2 over gRPC: a grpc-java client (stubs generated from our proto) calls gpuproxyd on its HTTP port,
 * which routes by model name to a grpc-java v2 model server on 127.0.0.1.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class OpenInferenceGrpcTest {

    static final GrpcInferenceStub SERVER = new GrpcInferenceStub("stub-a");

    @Inject
    CreditService credits;

    private Api.Account admin;
    private Api.Account tenant;
    private String key;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() {
        SERVER.calls().clear();
        admin = Api.admin();
        tenant = Api.registerAndLogin("grpc");
        key = Api.createApiKey(tenant, "grpc");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    /** A global pool with one openinference backend per URL; returns the model name. */
    private String model(String prefix, String... urls) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (String url : urls) {
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "kind", "openinference", "url", url))
                    .post("/api/v1/admin/backends").then().statusCode(201);
        }
        return name;
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client(String apiKey) {
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        if (apiKey == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static ModelInferRequest rawInfer(String model, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            raw.putFloat(value);
        }
        return ModelInferRequest.newBuilder().setModelName(model).setId("grpc-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("INPUT0").setDatatype("FP32")
                        .addShape(1).addShape(values.length))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT0"))
                .addRawInputContents(ByteString.copyFrom(raw.array())).build();
    }

    private static float[] floats(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    private static String errorCode(StatusRuntimeException e) {
        return e.getTrailers() == null ? null
                : e.getTrailers().get(Metadata.Key.of("gpuproxy-error-code", Metadata.ASCII_STRING_MARSHALLER));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void modelInferIsRoutedByModelNameAndTheAnswerComesBackAsTheModelServerSentIt() {
        String model = model("grpc", SERVER.url());
        ModelInferResponse answer = client(key).modelInfer(rawInfer(model, 1.5f, 2f, -3f, 4.25f));
        assertThat(answer.getModelName()).isEqualTo(model);
        assertThat(answer.getId()).isEqualTo("grpc-1");
        assertThat(answer.getParametersMap().get("served_by").getStringParam()).isEqualTo("stub-a");
        assertThat(floats(answer.getRawOutputContents(0))).containsExactly(3f, 4f, -6f, 8.5f);
        assertThat(SERVER.calls()).hasSize(1);
        GrpcInferenceStub.Call call = SERVER.calls().get(0);
        assertThat(call.method()).isEqualTo("ModelInfer");
        assertThat(call.request()).isEqualTo(rawInfer(model, 1.5f, 2f, -3f, 4.25f));
        // The caller's gateway key never reaches the model server.
        assertThat(call.header("authorization")).isNull();
        assertThat(call.headers().toString()).doesNotContain(key);
    }

    @Test
    void typedContentsTravelToo() {
        String model = model("grpc", SERVER.url());
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("INPUT0").setDatatype("FP32")
                        .addShape(2).setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(5)))
                .build();
        assertThat(client(key).modelInfer(request).getOutputs(0).getContents().getFp32ContentsList())
                .containsExactly(2f, 10f);
    }

    @Test
    void modelMetadataAndReadinessComeFromTheModelServerAndServerCallsAreTheGatewaysOwn() {
        String model = model("grpc", SERVER.url());
        var client = client(key);
        assertThat(client.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build()).getPlatform())
                .isEqualTo("onnxruntime_onnx");
        assertThat(client.modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion("1").build()).getReady())
                .isTrue();
        assertThat(SERVER.calls()).extracting(GrpcInferenceStub.Call::method).containsExactly("ModelMetadata", "ModelReady");
        assertThat(client.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(client.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("gpuproxy");
        assertThat(SERVER.calls()).hasSize(2);
    }

    @Test
    void aMissingOrBadKeyIsUnauthenticatedAndNeverReachesTheBackend() {
        String model = model("grpc", SERVER.url());
        assertThatThrownBy(() -> client(null).modelInfer(rawInfer(model, 1f)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("Missing API key");
                });
        assertThatThrownBy(() -> client("gpx_not_a_real_key_0000000000").modelInfer(rawInfer(model, 1f)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> client(null).serverLive(ServerLiveRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(SERVER.calls()).isEmpty();
    }

    @Test
    void aModelNoPoolServesIsNotFound() {
        assertThatThrownBy(() -> client(key).modelInfer(rawInfer("no-such-model", 1f)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("'no-such-model' does not exist");
                    assertThat(errorCode(e)).isEqualTo("model_not_found");
                });
        // The model server's own NOT_FOUND comes back as it sent it.
        String unknown = model("unknown", SERVER.url());
        assertThatThrownBy(() -> client(key).modelInfer(rawInfer(unknown, 1f)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("Request for unknown model");
                });
    }

    @Test
    void aBackendThatIsDownIsSkippedForTheNextOne() throws Exception {
        String model = model("grpc", "grpc://127.0.0.1:" + closedPort(), SERVER.url());
        for (int i = 0; i < 4; i++) {
            ModelInferResponse answer = client(key).modelInfer(rawInfer(model, i));
            assertThat(floats(answer.getRawOutputContents(0))).containsExactly(2f * i);
        }
        assertThat(SERVER.calls()).hasSize(4);
    }

    @Test
    void everyModelInferIsMeteredAsOneRequestWithoutTokens() {
        String model = model("grpc", SERVER.url());
        client(key).modelInfer(rawInfer(model, 1f));
        client(key).modelInfer(rawInfer(model, 2f));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", equalTo(2)).body("tokens_in", equalTo(0)).body("credits_micros", equalTo(0)));
    }

    @Test
    void aCallerWithoutCreditsIsRefusedWithFailedPrecondition() {
        String model = model("grpc", SERVER.url());
        Api.Account broke = Api.registerAndLogin("grpc-broke");
        String brokeKey = Api.createApiKey(broke, "k");
        assertThatThrownBy(() -> client(brokeKey).modelInfer(rawInfer(model, 1f)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).startsWith("Insufficient credits").contains("top up");
                    assertThat(errorCode(e)).isEqualTo("insufficient_credits");
                });
        assertThat(SERVER.calls()).isEmpty();
    }

    @Test
    void rawContentsThatDoNotFitTheShapeAreInvalidAndNeverReachTheBackend() {
        String model = model("grpc", SERVER.url());
        ModelInferRequest wrong = rawInfer(model, 1f, 2f, 3f).toBuilder()
                .setInputs(0, rawInfer(model, 1f).getInputs(0).toBuilder().clearShape().addShape(1).addShape(4))
                .build();
        assertThatThrownBy(() -> client(key).modelInfer(wrong))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "input 'INPUT0' is FP32 with 4 elements (4 x 4 bytes) but its binary data is 12 bytes");
                });
        assertThat(SERVER.calls()).isEmpty();
    }

    @Test
    void theHttpRoutesStillAnswerOnTheSamePortAndDoNotSendHttpToGrpcBackends() {
        RestAssured.given().header("Authorization", "Bearer " + key).get("/v2/health/live").then().statusCode(200)
                .body("live", equalTo(true));
        String model = model("grpc", SERVER.url());
        RestAssured.given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(404);
        assertThat(SERVER.calls()).isEmpty();
        // Only Open Inference backends may be gRPC endpoints.
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", model, "kind", "openai", "url", SERVER.url()))
                .post("/api/v1/admin/backends").then().statusCode(400);
    }

    @Test
    void aCallerOverItsRateLimitIsResourceExhausted() {
        String model = model("grpc", SERVER.url());
        admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 1))
                .patch("/api/v1/admin/users/" + tenant.id()).then().statusCode(200);
        // The new limit reaches the gateway's cache within a moment; from then on the second call in a minute is refused.
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> client(key).modelInfer(rawInfer(model, 1f)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                            assertThat(e.getStatus().getDescription()).contains("Rate limit of 1 requests per minute");
                            assertThat(errorCode(e)).isEqualTo("rate_limit_exceeded");
                        }));
    }
}
