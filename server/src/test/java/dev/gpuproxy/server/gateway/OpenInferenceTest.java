package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.ProtocolStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Open Inference Protocol v2 through the gateway to a local v2 model server. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class OpenInferenceTest {

    static final ProtocolStub SERVER = new ProtocolStub();

    private static final String INFER = """
            {"id":"req-1","inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[[1.0,2.0,3.0,4.0]]}],
             "outputs":[{"name":"OUTPUT0"}]}""";

    @Inject
    CreditService credits;

    private Api.Account admin;
    private Api.Account tenant;
    private String key;

    @BeforeEach
    void setUp() {
        SERVER.received().clear();
        admin = Api.admin();
        tenant = Api.registerAndLogin("oip");
        key = Api.createApiKey(tenant, "oip");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    /** A global pool of one openinference backend at the stub; returns the model name. */
    private String model(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/v1/admin/pools").then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("pool", name, "kind", "openinference", "url", SERVER.baseUrl()))
                .post("/api/v1/admin/backends").then().statusCode(201);
        return name;
    }

    private io.restassured.specification.RequestSpecification client() {
        return given().header("Authorization", "Bearer " + key);
    }

    @Test
    void inferIsForwardedUnchangedAndTheAnswerComesBackAsTheModelServerSentIt() {
        String model = model("oip");
        Response response = client().contentType(ContentType.JSON).body(INFER)
                .post("/v2/models/" + model + "/infer");
        response.then().statusCode(200).header("X-Model-Version", "1")
                .body("model_name", equalTo(model))
                .body("outputs[0].name", equalTo("OUTPUT0"))
                .body("outputs[0].data[3]", equalTo(8.0f))
                .body("echo_bytes", equalTo(INFER.length()));
        ProtocolStub.Received sent = SERVER.received().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v2/models/" + model + "/infer");
        assertThat(sent.body()).isEqualTo(INFER);
        assertThat(sent.headers().toString()).doesNotContain(key);
    }

    @Test
    void versionedInferReachesTheVersionPath() {
        String model = model("oip");
        client().contentType(ContentType.JSON).body(INFER).post("/v2/models/" + model + "/versions/3/infer")
                .then().statusCode(200).body("model_version", equalTo("3"));
        assertThat(SERVER.received().get(0).path()).isEqualTo("/v2/models/" + model + "/versions/3/infer");
    }

    @Test
    void modelMetadataAndReadinessComeFromTheModelServer() {
        String model = model("oip");
        client().get("/v2/models/" + model).then().statusCode(200)
                .body("name", equalTo(model)).body("inputs[0].datatype", equalTo("FP32"));
        client().get("/v2/models/" + model + "/ready").then().statusCode(200);
        client().get("/v2/models/" + model + "/versions/1/ready").then().statusCode(200);
        assertThat(SERVER.received()).extracting(ProtocolStub.Received::method).containsOnly("GET");
        assertThat(SERVER.received()).extracting(ProtocolStub.Received::path).containsExactly(
                "/v2/models/" + model, "/v2/models/" + model + "/ready", "/v2/models/" + model + "/versions/1/ready");
    }

    @Test
    void healthIsTheGatewaysOwnAndReadyOnceAnOpenInferenceBackendExists() {
        model("oip");
        client().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        client().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        client().get("/v2").then().statusCode(200).body("name", equalTo("gpuproxy"));
    }

    @Test
    void withoutAnApiKeyTheAnswerIs401InOipShape() {
        given().get("/v2/health/live").then().statusCode(401).body("error", containsString("Missing API key"));
        given().contentType(ContentType.JSON).body(INFER).post("/v2/models/x/infer").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void aShapeThatDoesNotMatchTheDataIs400InOipShapeAndNeverReachesTheBackend() {
        String model = model("oip");
        client().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[2,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(400)
                .body("error", equalTo("input 'INPUT0' has shape [2,4] (8 elements) but 4 data elements"));
        assertThat(SERVER.received()).isEmpty();
    }

    @Test
    void anUnknownDatatypeIs400() {
        String model = model("oip");
        client().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1],\"datatype\":\"FLOAT32\",\"data\":[1]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(400)
                .body("error", containsString("unknown datatype FLOAT32"));
        assertThat(SERVER.received()).isEmpty();
    }

    @Test
    void missingInputsAndInvalidJsonAre400() {
        String model = model("oip");
        client().contentType(ContentType.JSON).body("{\"outputs\":[]}").post("/v2/models/" + model + "/infer")
                .then().statusCode(400).body("error", containsString("\"inputs\""));
        client().contentType(ContentType.JSON).body("{not json").post("/v2/models/" + model + "/infer")
                .then().statusCode(400).body("error", containsString("not a JSON object"));
        client().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"T\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"a\",\"b\"]}]}")
                .post("/v2/models/" + model + "/infer").then().statusCode(200);
    }

    @Test
    void aModelNoPoolServesIs404InOipShape() {
        client().contentType(ContentType.JSON).body(INFER).post("/v2/models/no-such-model/infer")
                .then().statusCode(404).body("error", containsString("'no-such-model' does not exist"));
        client().get("/v2/models/no-such-model").then().statusCode(404).body("error", containsString("no-such-model"));
        assertThat(SERVER.received()).isEmpty();
    }

    @Test
    void theModelServersOwn404ComesBackUnchanged() {
        String model = model("unknown");
        client().get("/v2/models/" + model).then().statusCode(404)
                .body("error", equalTo("Request for unknown model: '" + model + "' is not found"));
    }

    @Test
    void everyInferIsMeteredAsOneRequestWithoutTokens() {
        String model = model("oip");
        client().contentType(ContentType.JSON).body(INFER).post("/v2/models/" + model + "/infer").then().statusCode(200);
        client().contentType(ContentType.JSON).body(INFER).post("/v2/models/" + model + "/infer").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", equalTo(2)).body("tokens_in", equalTo(0)).body("credits_micros", equalTo(0)));
    }

    @Test
    void aCallerWithoutCreditsIsRefusedWith402() {
        String model = model("oip");
        Api.Account broke = Api.registerAndLogin("oip-broke");
        String brokeKey = Api.createApiKey(broke, "k");
        given().header("Authorization", "Bearer " + brokeKey).contentType(ContentType.JSON).body(INFER)
                .post("/v2/models/" + model + "/infer").then().statusCode(402)
                .body("error", containsString("Insufficient credits"));
        assertThat(SERVER.received()).isEmpty();
    }

    /** A binary-extension body as tritonclient builds it: the JSON header, then each binary input's bytes. */
    private static byte[] binaryRequest(String header, byte[]... tensors) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        for (byte[] tensor : tensors) {
            out.writeBytes(tensor);
        }
        return out.toByteArray();
    }

    private static byte[] fp32(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** BYTES elements in the binary format: each a 4-byte little-endian length, then its bytes. */
    private static byte[] bytesElements(String... values) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static String binaryHeader(String datatype, String shape, long binaryDataSize) {
        return "{\"id\":\"bin-1\",\"inputs\":[{\"name\":\"INPUT0\",\"shape\":" + shape + ",\"datatype\":\"" + datatype
                + "\",\"parameters\":{\"binary_data_size\":" + binaryDataSize + "}}],"
                + "\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":{\"binary_data\":true}}]}";
    }

    private Response postBinary(String model, byte[] body, Object headerLength) {
        return client().contentType("application/octet-stream").header("Inference-Header-Content-Length", headerLength)
                .body(body).post("/v2/models/" + model + "/infer");
    }

    @Test
    void binaryTensorsTravelUnchangedBothWaysWithTheirHeaderLength() {
        String model = model("oip");
        String header = binaryHeader("FP32", "[1,4]", 16);
        byte[] body = binaryRequest(header, fp32(1.5f, 2.0f, -3.0f, 4.25f));
        Response response = postBinary(model, body, header.length());
        response.then().statusCode(200).header("Content-Type", "application/octet-stream");
        // What the model server received: the same bytes, the JSON header length and the client's Content-Type.
        ProtocolStub.Received sent = SERVER.received().get(0);
        assertThat(sent.raw()).isEqualTo(body);
        assertThat(sent.header("Inference-Header-Content-Length")).isEqualTo(String.valueOf(header.length()));
        assertThat(sent.header("Content-Type")).startsWith("application/octet-stream");
        // What came back: the model server's JSON header and binary output, split where its header says.
        int jsonLength = Integer.parseInt(response.header("Inference-Header-Content-Length"));
        byte[] answer = response.asByteArray();
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(
                new String(answer, 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(json.getString("id")).isEqualTo("bin-1");
        assertThat(json.getJsonArray("outputs").getJsonObject(0).getJsonObject("parameters")
                .getInteger("binary_data_size")).isEqualTo(16);
        assertThat(answer.length).isEqualTo(jsonLength + 16);
        ByteBuffer output = ByteBuffer.wrap(answer, jsonLength, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {output.getFloat(), output.getFloat(), output.getFloat(), output.getFloat()})
                .containsExactly(3.0f, 4.0f, -6.0f, 8.5f);
    }

    @Test
    void binaryBytesTensorsAreCountedByTheirLengthPrefixes() {
        String model = model("oip");
        byte[] two = bytesElements("hello", "wörld");
        String header = binaryHeader("BYTES", "[2]", two.length);
        postBinary(model, binaryRequest(header, two), header.length()).then().statusCode(200);
        byte[] three = bytesElements("a", "b", "c");
        String wrong = binaryHeader("BYTES", "[2]", three.length);
        postBinary(model, binaryRequest(wrong, three), wrong.length()).then().statusCode(400)
                .body("error", equalTo("input 'INPUT0' has shape of 2 elements but its binary data holds 3 BYTES"
                        + " elements"));
        assertThat(SERVER.received()).hasSize(1);
    }

    @Test
    void aBinaryDataSizeThatDoesNotFitTheShapeIs400AndNeverReachesTheBackend() {
        String model = model("oip");
        String header = binaryHeader("FP32", "[1,4]", 12);
        postBinary(model, binaryRequest(header, new byte[12]), header.length()).then().statusCode(400)
                .body("error", equalTo("input 'INPUT0' is FP32 with 4 elements (4 x 4 bytes) but its binary data is"
                        + " 12 bytes"));
        String sized = binaryHeader("FP32", "[1,4]", 16);
        postBinary(model, binaryRequest(sized, new byte[12]), sized.length()).then().statusCode(400)
                .body("error", equalTo("input 'INPUT0' has binary_data_size 16 but only 12 bytes of binary data"
                        + " remain after the JSON header"));
        postBinary(model, binaryRequest(sized, new byte[20]), sized.length()).then().statusCode(400)
                .body("error", equalTo("The body has 4 bytes after the JSON header that no input's binary_data_size"
                        + " accounts for"));
        assertThat(SERVER.received()).isEmpty();
    }

    @Test
    void theJsonHeaderIsStillValidatedAndItsLengthMustFitTheBody() {
        String model = model("oip");
        String header = binaryHeader("FP32", "[2,4]", 16);
        byte[] body = binaryRequest(header, new byte[16]);
        postBinary(model, body, header.length()).then().statusCode(400)
                .body("error", containsString("FP32 with 8 elements"));
        postBinary(model, body, body.length + 1).then().statusCode(400)
                .body("error", equalTo("Inference-Header-Content-Length is " + (body.length + 1) + " but the body has "
                        + body.length + " bytes"));
        postBinary(model, body, "many").then().statusCode(400)
                .body("error", containsString("must be a whole number of bytes"));
        postBinary(model, body, header.length() - 1).then().statusCode(400)
                .body("error", containsString("not a JSON object"));
        // binary_data_size without the header: the whole body is JSON and the tensor's bytes are missing.
        client().contentType(ContentType.JSON).body(binaryHeader("FP32", "[1,4]", 16))
                .post("/v2/models/" + model + "/infer").then().statusCode(400)
                .body("error", containsString("has no Inference-Header-Content-Length header"));
        assertThat(SERVER.received()).isEmpty();
    }
}
