package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.server.gpu.service.OfferService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed product's commands as its README writes them (issue #18): provider ids {@code vast.ai} and {@code io.net},
 * rentals and reservations without an image, curl's form-typed JSON bodies, the complete account export, and the
 * {@code load server} / {@code load provider} views.
 */
@QuarkusTest
@TestProfile(GpuPostgresProfile.class)
@TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
class SeedParityTest {

    private static final long A = Long.parseLong(GpuTestData.TENANT_A);
    private static final String FORM = "application/x-www-form-urlencoded";

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    GpuTestData data;

    @Inject
    ExportTestRows rows;

    @Inject
    OfferService offers;

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/api/v1/loadbalancer/strategy")
    URI strategyUrl;

    @BeforeEach
    void fresh() {
        data.reset();
        stubs.reset();
        offers.invalidate();
    }

    /** vast.ai renting both of its recorded offers, refusing (as it does) a rental without an image. */
    private void vastRentable() {
        stubs.vastOffers();
        stubs.vast().stubFor(put("/api/v0/asks/18456233/").withRequestBody(matchingJsonPath("$.image"))
                .willReturn(okJson("{\"success\": true, \"new_contract\": 7731022}")));
        stubs.vast().stubFor(put("/api/v0/asks/9912001/").withRequestBody(matchingJsonPath("$.image"))
                .willReturn(okJson("{\"success\": true, \"new_contract\": 7731023}")));
        stubs.vast().stubFor(delete("/api/v0/instances/7731022/").willReturn(okJson("{\"success\": true}")));
        stubs.vast().stubFor(delete("/api/v0/instances/7731023/").willReturn(okJson("{\"success\": true}")));
    }

    /** curl -d: the body as written, labelled as a form. */
    private static RequestSpecification curlData(String json) {
        return given().config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType(FORM).body(json);
    }

    // --- provider ids -------------------------------------------------------------------------------------

    @Test
    void offersOfAProviderNamedAsTheSeedNamesIt() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        given().get("/api/v1/gpu/instances?provider=vast.ai").then().statusCode(200)
                .body("errors", org.hamcrest.Matchers.empty())
                .body("total", equalTo(2))
                .body("offers.provider", everyItem(equalTo("vastai")));
        given().get("/api/v1/gpu/instances?provider=io.net").then().statusCode(200)
                .body("total", equalTo(3))
                .body("offers.provider", everyItem(equalTo("ionet")));
        given().get("/api/v1/gpu/instances?provider=Vast.AI").then().statusCode(200).body("total", equalTo(2));
        given().get("/api/v1/gpu/instances?provider=lambda").then().statusCode(400)
                .body("parameter", equalTo("provider"));
    }

    @Test
    void createAndDestroyWithTheSeedsPathsAnswerWithTheCanonicalId() {
        vastRentable();

        String location = given().contentType("application/json")
                .body("{\"image\": \"nvidia/cuda:12.0.0-base-ubuntu22.04\"}")
                .post("/api/v1/gpu/instances/vast.ai/18456233").then().statusCode(201)
                .body("provider", equalTo("vastai"))
                .body("provider_instance_id", equalTo("7731022"))
                .extract().header("Location");
        assertThat(location).endsWith("/api/v1/gpu/instances/vastai/7731022");

        given().get("/api/v1/gpu/instances/vast.ai/7731022").then().statusCode(200).body("provider", equalTo("vastai"));
        given().delete("/api/v1/gpu/instances/vast.ai/7731022").then().statusCode(200)
                .body("state", equalTo("terminated"));
        stubs.vast().verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                urlEqualTo("/api/v0/instances/7731022/")));
    }

    @Test
    void aRentalThatCannotBeRecordedIsGivenBackToTheProvider() {
        vastRentable();
        given().post("/api/v1/gpu/instances/vastai/18456233").then().statusCode(201);
        given().delete("/api/v1/gpu/instances/vastai/7731022").then().statusCode(200);
        offers.invalidate();

        // The provider answers with an instance id already on record: the new machine must not be left running.
        int status = given().post("/api/v1/gpu/instances/vastai/18456233").then().extract().statusCode();

        assertThat(status).isGreaterThanOrEqualTo(400);
        stubs.vast().verify(2, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                urlEqualTo("/api/v0/instances/7731022/")));
        given().get("/api/v1/gpu/instances/mine").then().statusCode(200).body("count", equalTo(0));
    }

    // --- default launch -----------------------------------------------------------------------------------

    @Test
    void aRentalWithoutBodyRunsTheDefaultInferenceServer() {
        vastRentable();

        given().post("/api/v1/gpu/instances/vast.ai/18456233").then().statusCode(201)
                .body("provider", equalTo("vastai"));

        stubs.vast().verify(putRequestedFor(urlEqualTo("/api/v0/asks/18456233/")).withRequestBody(equalToJson("""
                {"client_id": "me", "image": "vllm/vllm-openai:latest", "disk": 10, "runtype": "args", "price": null,
                 "env": {"-p 8000:8000": "1"}}
                """)));
        given().delete("/api/v1/gpu/instances/vastai/7731022").then().statusCode(200);
    }

    @Test
    void aReservationWithoutImageLaunchesTheDefaultOnEveryGpu() {
        vastRentable();

        long reservation = given().contentType("application/json")
                .body("{\"count\": 2, \"filters\": {\"providers\": [\"vast.ai\"]}}")
                .post("/api/v1/gpu/instances/reserve").then().statusCode(201)
                .body("count", equalTo(2))
                .body("reserved.provider", everyItem(equalTo("vastai")))
                .extract().<Number>path("reservation_id").longValue();

        for (String ask : List.of("18456233", "9912001")) {
            stubs.vast().verify(putRequestedFor(urlEqualTo("/api/v0/asks/" + ask + "/"))
                    .withRequestBody(matchingJsonPath("$.image", com.github.tomakehurst.wiremock.client.WireMock
                            .equalTo("vllm/vllm-openai:latest")))
                    .withRequestBody(matchingJsonPath("$.env['-p 8000:8000']")));
        }
        given().delete("/api/v1/gpu/reservations/" + reservation).then().statusCode(200)
                .body("state", equalTo("released"));
    }

    // --- form-typed JSON ----------------------------------------------------------------------------------

    @Test
    void curlsFormTypedJsonBodyIsReadAsJson() {
        curlData("{\"strategy\": \"least_connections\"}")
                .put("/api/v1/loadbalancer/strategy").then().statusCode(200)
                .body("strategy", equalTo("least_connections"));

        vastRentable();
        curlData("{\"image\": \"nvidia/cuda:12.0.0-base-ubuntu22.04\"}")
                .post("/api/v1/gpu/instances/vast.ai/18456233").then().statusCode(201);
        stubs.vast().verify(putRequestedFor(urlEqualTo("/api/v0/asks/18456233/"))
                .withRequestBody(matchingJsonPath("$.image", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("nvidia/cuda:12.0.0-base-ubuntu22.04"))));
        given().delete("/api/v1/gpu/instances/vastai/7731022").then().statusCode(200);
    }

    @Test
    void aJsonBodyWithoutContentTypeIsReadAsJson() throws Exception {
        // The JDK client sends no Content-Type unless told to, like many scripts do; HTTP/1.1 as curl speaks it.
        // RESTEasy already matched an untyped body to a JSON endpoint; this guards that the relabelling keeps it so.
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(strategyUrl)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"strategy\": \"round_robin\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(mapper.readTree(answer.body()).path("strategy").asText()).isEqualTo("round_robin");
    }

    @Test
    void otherBodiesKeepTheirTypeAndAreStillRefused() {
        given().contentType("text/plain").body("{\"strategy\": \"least_connections\"}")
                .put("/api/v1/loadbalancer/strategy").then().statusCode(415)
                .body("code", equalTo("unsupported_media_type"));
        curlData("strategy=least_connections")
                .put("/api/v1/loadbalancer/strategy").then().statusCode(415)
                .body("code", equalTo("unsupported_media_type"));
        curlData("{\"strategy\": \"least_connections\"} trailing")
                .put("/api/v1/loadbalancer/strategy").then().statusCode(415);
    }

    // --- export -------------------------------------------------------------------------------------------

    @Test
    void theExportHoldsEverythingStoredAboutTheAccountAndNoSecret() throws Exception {
        int usageRows = 1234; // more than two pages
        rows.usage(A, usageRows);
        rows.session(A, "refresh-hash-must-not-leak");
        rows.payment(A, "{\"client_secret\": \"pi_secret_must_not_leak\"}");
        given().post("/api/v1/gpu/instances/static/a100-fra-1").then().statusCode(201);

        String body = given().get("/api/v1/user/export").then().statusCode(200)
                .contentType("application/json")
                .extract().asString();
        JsonNode export = mapper.readTree(body);

        assertThat(export.path("user").path("id").asLong()).isEqualTo(A);
        assertThat(export.path("api_keys").isArray()).isTrue();
        assertThat(export.path("wallet").path("credits_remaining").decimalValue()).isPositive();
        assertThat(export.path("ledger").findValuesAsText("kind")).contains("grant");
        assertThat(export.path("payments")).hasSize(1);
        assertThat(export.path("payments").get(0).path("amount").asText()).isEqualTo("20.00");
        assertThat(export.path("payments").get(0).path("credits").decimalValue()).isEqualByComparingTo("20");
        assertThat(export.path("instances").findValuesAsText("offer_id")).contains("a100-fra-1");
        assertThat(export.path("reservations").isArray()).isTrue();
        assertThat(export.path("sessions")).hasSize(1);
        assertThat(export.path("sessions").get(0).path("ip").asText()).isEqualTo("198.51.100.4");

        JsonNode usage = export.path("usage");
        assertThat(usage).hasSize(usageRows);
        Set<Long> ids = new HashSet<>();
        List<Long> requests = new ArrayList<>();
        usage.forEach(row -> {
            ids.add(row.path("id").asLong());
            requests.add(row.path("requests").asLong());
        });
        assertThat(ids).hasSize(usageRows);
        assertThat(requests).isSorted().startsWith(1L).endsWith((long) usageRows);

        assertThat(body).doesNotContain("refresh-hash-must-not-leak").doesNotContain("pi_secret_must_not_leak")
                .doesNotContain("password_hash").doesNotContain("secret_hash").doesNotContain("$2a$")
                .doesNotContain("refresh_token").doesNotContain("idempotency_key");
        given().delete("/api/v1/gpu/instances/static/" + export.path("instances").get(0)
                .path("provider_instance_id").asText()).then().statusCode(200);
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_B, roles = "user")
    void anotherTenantsExportHasNoneOfTheseRows() throws Exception {
        rows.usage(A, 3);
        rows.session(A, "refresh-hash-of-a");

        JsonNode export = mapper.readTree(given().get("/api/v1/user/export").then().statusCode(200)
                .extract().asString());

        assertThat(export.path("user").path("id").asLong()).isEqualTo(Long.parseLong(GpuTestData.TENANT_B));
        assertThat(export.path("usage")).isEmpty();
        assertThat(export.path("sessions")).isEmpty();
    }

    // --- load server / load provider ----------------------------------------------------------------------

    @Test
    void loadServerShowsTheGpusThisServerTracksForTheCaller() {
        String instance = given().post("/api/v1/gpu/instances/static/a100-fra-1").then().statusCode(201)
                .extract().path("provider_instance_id");

        given().get("/api/v1/loadbalancer/loads/server").then().statusCode(200)
                .body("gpus.find { it.source == 'instance' }.provider", equalTo("static"))
                .body("gpus.find { it.source == 'instance' }.provider_instance_id", equalTo(instance))
                .body("gpus.find { it.source == 'instance' }.gpu_model", equalTo("A100"))
                .body("gpus.find { it.source == 'instance' }.state", equalTo("running"))
                .body("gpus.find { it.source == 'instance' }.in_flight", equalTo(0))
                .body("in_flight", equalTo(0));
        // The balancer's own view is still where it was.
        given().get("/api/v1/loadbalancer/loads").then().statusCode(200).body("strategy", org.hamcrest.Matchers.notNullValue());
        given().delete("/api/v1/gpu/instances/static/" + instance).then().statusCode(200);
        given().get("/api/v1/loadbalancer/loads/server").then().statusCode(200)
                .body("gpus.findAll { it.source == 'instance' }.size()", equalTo(0));
    }

    @Test
    void loadProviderShowsEachProvidersOffersCheapestModelsAndHealth() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        given().get("/api/v1/loadbalancer/loads/provider").then().statusCode(200)
                .body("providers.provider", org.hamcrest.Matchers.contains("ionet", "static", "vastai"))
                .body("providers.find { it.provider == 'ionet' }.status", equalTo("ok"))
                .body("providers.find { it.provider == 'ionet' }.offers", equalTo(3))
                .body("providers.find { it.provider == 'ionet' }.cheapest[0].gpu_model", equalTo("GeForce RTX 4090"))
                .body("providers.find { it.provider == 'ionet' }.cheapest[0].price_per_gpu_hour", equalTo(0.318f))
                .body("providers.find { it.provider == 'ionet' }.cheapest[0].offers", equalTo(2))
                .body("providers.find { it.provider == 'ionet' }.cheapest[1].gpu_model", equalTo("H100 80GB HBM3"))
                .body("providers.find { it.provider == 'ionet' }.cheapest[1].price_per_gpu_hour", equalTo(2.49f))
                .body("providers.find { it.provider == 'static' }.offers", equalTo(2))
                .body("providers.find { it.provider == 'vastai' }.cheapest.gpu_model",
                        org.hamcrest.Matchers.hasItem("RTX 4090"));

        stubs.reset();
        offers.invalidate();
        stubs.vastDown();
        stubs.ionetOffers(0);
        given().get("/api/v1/loadbalancer/loads/provider").then().statusCode(200)
                .body("providers.find { it.provider == 'vastai' }.status", equalTo("failing"))
                .body("providers.find { it.provider == 'vastai' }.message", containsString("Internal error, try again"))
                .body("providers.find { it.provider == 'ionet' }.status", equalTo("ok"));
    }

    @Test
    @TestSecurity
    void loadViewsNeedAnAuthenticatedCaller() {
        given().get("/api/v1/loadbalancer/loads/server").then().statusCode(401);
        given().get("/api/v1/loadbalancer/loads/provider").then().statusCode(401);
        given().get("/api/v1/user/export").then().statusCode(401);
    }
}
