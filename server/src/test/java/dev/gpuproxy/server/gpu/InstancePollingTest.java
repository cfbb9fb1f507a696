package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.service.InstancePoller;
import dev.gpuproxy.server.gpu.service.GpuTimeBilling;
import dev.gpuproxy.server.gpu.service.OfferService;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renting from a marketplace, following the instance's state, charging its running time per minute and stopping it
 * past the owner's cap, with a clock the test moves and a billing that records what it is asked.
 */
@QuarkusTest
@TestProfile(GpuPostgresProfile.class)
@TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
class InstancePollingTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String VAST_INSTANCE = "/api/v0/instances/7731022/";

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    GpuTestData data;

    @Inject
    OfferService offers;

    @Inject
    InstancePoller poller;

    private MutableClock clock;
    private RecordingBilling billing;

    @BeforeEach
    void setUp() {
        data.reset();
        stubs.reset();
        offers.invalidate();
        clock = new MutableClock(T0);
        billing = new RecordingBilling();
        QuarkusMock.installMockForType(clock, Clock.class);
        GpuTestData.replaceBean(GpuTimeBilling.class, billing);
    }

    private void vastRentable() {
        stubs.vastOffers();
        stubs.vast().stubFor(put("/api/v0/asks/18456233/").willReturn(okJson(
                "{\"success\": true, \"new_contract\": 7731022, \"instance_api_key\": \"ik-abc\"}")));
    }

    /** vast.ai shows the instance loading first, then running with its ports. */
    private void vastInstanceLoadsThenRuns() {
        stubs.vast().stubFor(get(urlPathEqualTo(VAST_INSTANCE)).inScenario("boot").whenScenarioStateIs(STARTED)
                .withQueryParam("owner", WireMock.equalTo("me"))
                .willReturn(okJson(ProviderStubs.fixture("vastai-instance-loading.json")))
                .willSetStateTo("running"));
        stubs.vast().stubFor(get(urlPathEqualTo(VAST_INSTANCE)).inScenario("boot").whenScenarioStateIs("running")
                .withQueryParam("owner", WireMock.equalTo("me"))
                .willReturn(okJson(ProviderStubs.fixture("vastai-instance-running.json"))));
        stubs.vast().stubFor(delete(VAST_INSTANCE).willReturn(okJson("{\"success\": true}")));
    }

    private long rentVast() {
        return given().contentType("application/json")
                .body("""
                        {"image": "vllm/vllm-openai:latest", "ports": [8000], "disk_gb": 40, "label": "tenant-a",
                         "env": {"HF_TOKEN": "hf_very_secret"}}
                        """)
                .post("/api/v1/gpu/instances/vastai/18456233").then()
                .statusCode(201)
                .body("provider", equalTo("vastai"))
                .body("provider_instance_id", equalTo("7731022"))
                .body("offer_id", equalTo("18456233"))
                .body("gpu_model", equalTo("RTX 4090"))
                .body("gpu_count", equalTo(2))
                .body("vram_gb", equalTo(24))
                .body("state", equalTo("pending"))
                .body("price_per_hour", equalTo(0.634722f))
                .extract().<Number>path("id").longValue();
    }

    @Test
    void vastRentalGoesFromPendingThroughLoadingToRunningWithItsEndpoint() {
        vastRentable();
        vastInstanceLoadsThenRuns();

        long id = rentVast();

        stubs.vast().verify(putRequestedFor(urlEqualTo("/api/v0/asks/18456233/")).withRequestBody(equalToJson("""
                {"client_id": "me", "image": "vllm/vllm-openai:latest", "disk": 40, "label": "tenant-a",
                 "runtype": "args", "price": null,
                 "env": {"HF_TOKEN": "hf_very_secret", "-p 8000:8000": "1"}}
                """)));
        assertThat(billing.authorized).containsExactly(id);
        assertThat(data.instance(id).offerSnapshot).contains("HF_TOKEN").doesNotContain("hf_very_secret");

        poller.pollOnce();
        given().get("/api/v1/gpu/instances/vastai/7731022").then().statusCode(200)
                .body("state", equalTo("loading"))
                .body("endpoint", org.hamcrest.Matchers.nullValue());
        assertThat(data.instance(id).chargedUntil).isNull();

        clock.advance(Duration.ofSeconds(40));
        poller.pollOnce();
        given().get("/api/v1/gpu/instances/mine").then().statusCode(200)
                .body("instances[0].state", equalTo("running"))
                .body("instances[0].endpoint", equalTo("185.32.10.7:20000"));
        assertThat(data.instance(id).chargedUntil).isEqualTo(T0.plusSeconds(40));
        assertThat(billing.charges).isEmpty();
    }

    @Test
    void runningTimeIsChargedInWholeMinutesAsTheClockMoves() {
        long id = given().post("/api/v1/gpu/instances/static/l4-osl-1").then().statusCode(201)
                .body("state", equalTo("running")).extract().<Number>path("id").longValue();
        assertThat(data.instance(id).chargedUntil).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(150));
        poller.pollOnce();
        clock.advance(Duration.ofSeconds(30));
        poller.pollOnce();
        clock.advance(Duration.ofSeconds(59));
        poller.pollOnce();

        long user = Long.parseLong(GpuTestData.TENANT_A);
        BigDecimal price = new BigDecimal("0.35");
        assertThat(billing.charges).containsExactly(
                new RecordingBilling.Charge(user, id, Duration.ofMinutes(2), price,
                        "gpu-time:" + id + ":" + T0.toEpochMilli()),
                new RecordingBilling.Charge(user, id, Duration.ofMinutes(1), price,
                        "gpu-time:" + id + ":" + T0.plusSeconds(120).toEpochMilli()));
        assertThat(data.instance(id).chargedUntil).isEqualTo(T0.plusSeconds(180));

        // Released 59 s into the fourth minute: that started minute is charged too.
        String providerId = data.instance(id).providerInstanceId;
        given().delete("/api/v1/gpu/instances/static/" + providerId).then().statusCode(200)
                .body("state", equalTo("terminated"));
        assertThat(billing.charges).hasSize(3);
        assertThat(billing.charges.get(2).period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(billing.charges.get(2).idempotencyKey()).endsWith(":" + T0.plusSeconds(180).toEpochMilli());
        assertThat(billing.released).containsExactly(id);
        assertThat(billing.charges.stream().map(RecordingBilling.Charge::period).reduce(Duration.ZERO, Duration::plus))
                .isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void anInstanceWhoseOwnerIsPastCapIsDestroyed() {
        vastRentable();
        vastInstanceLoadsThenRuns();
        long id = rentVast();
        poller.pollOnce();
        clock.advance(Duration.ofSeconds(10));
        poller.pollOnce();
        assertThat(data.instance(id).state).isEqualTo("running");

        billing.pastCap = true;
        clock.advance(Duration.ofSeconds(65));
        InstancePoller.Round round = poller.pollOnce();

        assertThat(round.stopped()).isEqualTo(1);
        // The whole minute that revealed the cap, then the started one it was stopped in.
        assertThat(billing.charges).extracting(RecordingBilling.Charge::period)
                .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(1));
        stubs.vast().verify(deleteRequestedFor(urlEqualTo(VAST_INSTANCE)));
        GpuInstanceEntity row = data.instance(id);
        assertThat(row.state).isEqualTo("terminated");
        assertThat(row.endedAt).isEqualTo(T0.plusSeconds(75));
        assertThat(billing.released).containsExactly(id);
        given().get("/api/v1/gpu/instances/mine").then().body("count", equalTo(0));
    }

    @Test
    void anInstanceTheProviderNoLongerKnowsIsEnded() {
        vastRentable();
        stubs.vast().stubFor(get(urlPathEqualTo(VAST_INSTANCE)).willReturn(okJson("{\"instances\": null}")));
        long id = rentVast();

        poller.pollOnce();

        assertThat(data.instance(id).state).isEqualTo("terminated");
        assertThat(data.instance(id).endedAt).isEqualTo(T0);
    }

    @Test
    void aProviderFailingDuringAPollLeavesTheInstanceAsItWas() {
        vastRentable();
        stubs.vast().stubFor(get(urlPathEqualTo(VAST_INSTANCE)).willReturn(aResponse().withStatus(500)
                .withBody("{\"success\": false, \"error\": \"server_error\"}")));
        long id = rentVast();

        InstancePoller.Round round = poller.pollOnce();

        assertThat(round.failed()).isEqualTo(1);
        assertThat(data.instance(id).state).isEqualTo("pending");
        assertThat(data.instance(id).endedAt).isNull();
    }

    @Test
    void anOfferTakenMeanwhileIsAConflictAndNothingIsRecorded() {
        stubs.vastOffers();
        stubs.vast().stubFor(put("/api/v0/asks/18456233/").willReturn(aResponse().withStatus(410)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\": false, \"error\": \"no_such_ask\", \"msg\": \"Instance type no longer available\"}")));

        given().contentType("application/json").body("{\"image\": \"vllm/vllm-openai:latest\"}")
                .post("/api/v1/gpu/instances/vastai/18456233").then().statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("offer_unavailable"))
                .body("provider", equalTo("vastai"))
                .body("detail", containsString("Instance type no longer available"));

        assertThat(data.countInstances()).isZero();
        assertThat(billing.authorized).hasSize(1);
        assertThat(billing.released).isEqualTo(billing.authorized);
    }

    @Test
    void aLaunchTheProviderRejectsIsABadRequestWithItsMessage() {
        stubs.ionetOffers(0);
        stubs.ionet().stubFor(post(ProviderStubs.VMAAS + "/deploy").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\": [{\"loc\": [\"body\", \"duration_hours\"],"
                        + " \"msg\": \"ensure this value is less than or equal to 8760\", \"type\": \"value_error\"}]}")));

        given().post("/api/v1/gpu/instances/ionet/hw-12-loc-US-g1").then().statusCode(400)
                .body("code", equalTo("provider_rejected"))
                .body("detail", containsString("duration_hours: ensure this value is less than or equal to 8760"));
        assertThat(data.countInstances()).isZero();
    }

    @Test
    void aProviderDownWhileRentingIsServiceUnavailable() {
        stubs.vastOffers();
        stubs.vast().stubFor(put("/api/v0/asks/18456233/").willReturn(aResponse().withStatus(500)));

        given().contentType("application/json").body("{\"image\": \"vllm/vllm-openai:latest\"}")
                .post("/api/v1/gpu/instances/vastai/18456233").then().statusCode(503)
                .header("Retry-After", "30")
                .body("code", equalTo("provider_unavailable"));
        assertThat(data.countInstances()).isZero();
    }

    @Test
    void anOfferNoProviderListsCannotBeRented() {
        stubs.vastOffers();

        given().post("/api/v1/gpu/instances/vastai/555").then().statusCode(409)
                .body("code", equalTo("offer_unavailable"))
                .body("detail", containsString("not listed"));
        assertThat(billing.authorized).isEmpty();
    }

    @Test
    void creditsRefusingTheFirstHourStopsTheRentalBeforeTheProviderIsAsked() {
        billing.refuseAuthorization = true;
        stubs.vastOffers();

        given().post("/api/v1/gpu/instances/vastai/18456233").then().statusCode(402)
                .body("code", equalTo("insufficient_credits"));
        given().post("/api/v1/gpu/instances/static/a100-fra-1").then().statusCode(402);

        assertThat(data.countInstances()).isZero();
        stubs.vast().verify(0, putRequestedFor(urlEqualTo("/api/v0/asks/18456233/")));
        given().get("/api/v1/gpu/instances?provider=static").then().body("total", equalTo(2));
    }
}
