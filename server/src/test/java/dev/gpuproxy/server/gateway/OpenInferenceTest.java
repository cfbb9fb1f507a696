package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.Credits;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.ProtocolStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
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
}
