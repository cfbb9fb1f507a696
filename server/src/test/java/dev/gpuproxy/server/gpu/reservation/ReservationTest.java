package dev.gpuproxy.server.gpu.reservation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.server.gpu.GpuPostgresProfile;
import dev.gpuproxy.server.gpu.GpuTestData;
import dev.gpuproxy.server.gpu.InjectProviderStubs;
import dev.gpuproxy.server.gpu.MutableClock;
import dev.gpuproxy.server.gpu.ProviderStubs;
import dev.gpuproxy.server.gpu.service.InstancePoller;
import dev.gpuproxy.server.gpu.service.OfferService;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reserving several GPUs at once against the vast.ai stand-in (its real wire format): spreading over hosts, all-or-nothing
 * rollback, 409/402 refusals, expiry, tenancy, and the reserved instances becoming the tenant's private pool.
 */
@QuarkusTest
@TestProfile(GpuPostgresProfile.class)
class ReservationTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    GpuTestData data;

    @Inject
    ReservationTestData reservationData;

    @Inject
    OfferService offers;

    @Inject
    InstancePoller poller;

    @Inject
    ReservationService reservations;

    @Inject
    PoolRegistry pools;

    private MutableClock clock;

    @BeforeEach
    void setUp() {
        reservationData.reset();
        data.reset();
        stubs.reset();
        offers.invalidate();
        clock = new MutableClock(T0);
        QuarkusMock.installMockForType(clock, Clock.class);
        pools.refresh();
    }

    /**
     * vast.ai lists {@code count} one-GPU offers, two per host ({@code hosts} hosts), cheapest first in id order;
     * renting offer 1000+i answers contract 2000+i, destroying any instance succeeds.
     */
    private void vastOffers(int count, int hosts) {
        StringBuilder json = new StringBuilder("{\"offers\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, """
                    {"id": %d, "ask_contract_id": %d, "machine_id": %d, "host_id": %d, "gpu_name": "RTX 4090",
                     "num_gpus": 1, "gpu_ram": 24564, "gpu_total_ram": 24564, "cpu_cores_effective": 16.0,
                     "cpu_ram": 65536, "disk_space": 200.0, "dph_base": %.2f, "dph_total": %.2f,
                     "reliability2": 0.99, "rentable": true, "rented": false, "geolocation": "Oslo, NO",
                     "public_ipaddr": "185.32.10.%d", "dlperf": 90.0}""",
                    1000 + i, 1000 + i, 500 + i % hosts, 700 + i % hosts, 0.30 + i * 0.01, 0.30 + i * 0.01, i));
            stubs.vast().stubFor(put("/api/v0/asks/" + (1000 + i) + "/").willReturn(okJson(
                    "{\"success\": true, \"new_contract\": " + (2000 + i) + "}")));
        }
        json.append("]}");
        stubs.vast().stubFor(post("/api/v0/bundles/").willReturn(okJson(json.toString())));
        stubs.vast().stubFor(delete(urlMatching("/api/v0/instances/\\d+/")).willReturn(okJson("{\"success\": true}")));
    }

    private static Response reserve(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/gpu/instances/reserve");
    }

    private static Map<String, Object> vastOnly(int count) {
        return Map.of("count", count, "image", "vllm/vllm-openai:latest", "ports", List.of(8000),
                "filters", Map.of("providers", List.of("vastai")));
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void reservesSixteenGpusAtOnceOnSixteenDistinctHosts() {
        vastOffers(32, 16);

        Response response = reserve(vastOnly(16));

        response.then().statusCode(201).body("count", equalTo(16)).body("requested", equalTo(16))
                .body("reserved", hasSize(16)).body("state", equalTo("active"));
        Set<String> contracts = new HashSet<>(response.jsonPath().getList("reserved.contract_id", String.class));
        assertThat(contracts).hasSize(16);
        // Offers 1000..1015 sit on hosts 700..715, one each: spreading rents exactly those, none twice on a host.
        for (int i = 0; i < 16; i++) {
            stubs.vast().verify(1, putRequestedFor(urlEqualTo("/api/v0/asks/" + (1000 + i) + "/")));
        }
        stubs.vast().verify(0, putRequestedFor(urlEqualTo("/api/v0/asks/1016/")));
        assertThat(reservationData.liveInstances()).isEqualTo(16);
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void reserveRollsBackWhenOneLaunchFailsAndNoSpareIsLeft() {
        vastOffers(3, 3);
        stubs.vast().stubFor(put("/api/v0/asks/1001/").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\": false, \"error\": \"invalid_args\", \"msg\": \"machine is offline\"}")));

        Response response = reserve(vastOnly(3));

        response.then().statusCode(502).body("code", equalTo("reservation_failed"))
                .body("rolled_back", hasSize(2));
        stubs.vast().verify(1, deleteRequestedFor(urlEqualTo("/api/v0/instances/2000/")));
        stubs.vast().verify(1, deleteRequestedFor(urlEqualTo("/api/v0/instances/2002/")));
        assertThat(reservationData.liveInstances()).isZero();
        long id = response.jsonPath().getLong("reservation_id");
        assertThat(reservationData.reservation(id).state).isEqualTo("failed");
        assertThat(pools.pools()).noneMatch(p -> p.name().equals(ReservationRecords.poolName(id)));
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void failedLaunchIsRetriedOnTheNextBestOffer() {
        vastOffers(4, 4);
        stubs.vast().stubFor(put("/api/v0/asks/1000/").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\": false, \"error\": \"invalid_args\", \"msg\": \"machine is offline\"}")));

        Response response = reserve(vastOnly(3));

        response.then().statusCode(201).body("count", equalTo(3)).body("errors", hasSize(1));
        assertThat(response.jsonPath().getList("reserved.contract_id", String.class))
                .containsExactlyInAnyOrder("2001", "2002", "2003");
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void notEnoughOffersIsA409SayingWhatIsAvailable() {
        vastOffers(3, 3);

        reserve(vastOnly(5)).then().statusCode(409).body("code", equalTo("not_enough_offers"))
                .body("available", equalTo(3)).body("requested", equalTo(5)).body("offers", hasSize(3))
                .body("offers[0].offer_id", equalTo("1000"));
        stubs.vast().verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = ReservationTestData.BROKE_TENANT, roles = "user")
    void insufficientCreditsForTheFirstHourIsA402BeforeAnythingIsRented() {
        vastOffers(4, 4);

        reserve(vastOnly(2)).then().statusCode(402);

        stubs.vast().verify(0, putRequestedFor(anyUrl()));
        assertThat(reservationData.liveInstances()).isZero();
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void reservationExpiresAndReleasesItsInstances() {
        vastOffers(2, 2);
        long id = given().contentType(ContentType.JSON).header("X-Timelimit", "600").body(Map.of("count", 2, "image", "vllm/vllm-openai:latest",
                        "duration_minutes", 60, "filters", Map.of("providers", List.of("vastai"))))
                .post("/api/v1/gpu/instances/reserve").then().statusCode(201)
                .body("expires_at", equalTo("2026-03-02T09:10:00Z"))
                .extract().jsonPath().getLong("reservation_id");

        clock.advance(Duration.ofMinutes(9));
        assertThat(reservations.expireDue()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(reservations.expireDue()).isEqualTo(1);

        stubs.vast().verify(1, deleteRequestedFor(urlEqualTo("/api/v0/instances/2000/")));
        stubs.vast().verify(1, deleteRequestedFor(urlEqualTo("/api/v0/instances/2001/")));
        given().get("/api/v1/gpu/reservations/" + id).then().statusCode(200).body("state", equalTo("expired"));
        assertThat(reservationData.liveInstances()).isZero();
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_B, roles = "user")
    void anotherTenantCannotSeeOrReleaseAReservation() {
        vastOffers(1, 1);
        long id = reservations.reserve(Long.parseLong(GpuTestData.TENANT_A), new ReservationService.Command(1,
                new ReservationService.Filters(null, null, null, null, List.of("vastai")),
                new LaunchSpec("vllm/vllm-openai:latest", null, null, null, null, null, null, null), null, null, true, null)).id();

        given().get("/api/v1/gpu/reservations/" + id).then().statusCode(404);
        given().delete("/api/v1/gpu/reservations/" + id).then().statusCode(404);
        given().get("/api/v1/gpu/reservations").then().statusCode(200).body("count", equalTo(0));
        stubs.vast().verify(0, deleteRequestedFor(anyUrl()));
        assertThat(reservationData.reservation(id).state).isEqualTo("active");
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void runningReservedInstancesBecomeBackendsOfTheTenantsPrivatePool() {
        try (UpstreamStub instance = new UpstreamStub("vllm")) {
            vastOffers(1, 1);
            stubs.vast().stubFor(get(urlPathEqualTo("/api/v0/instances/2000/")).willReturn(okJson("""
                    {"instances": {"id": 2000, "actual_status": "running", "intended_status": "running",
                     "cur_state": "running", "public_ipaddr": "127.0.0.1",
                     "ports": {"8000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "%d"}]},
                     "gpu_name": "RTX 4090", "num_gpus": 1, "dph_total": 0.30}}""".formatted(instance.port()))));
            Response reserved = reserve(Map.of("count", 1, "image", "vllm/vllm-openai:latest", "ports", List.of(8000), "model", "team-llama",
                    "filters", Map.of("providers", List.of("vastai"))));
            reserved.then().statusCode(201).body("pool", equalTo("reservation-"
                    + reserved.jsonPath().getLong("reservation_id")));
            long instanceId = reserved.jsonPath().getLong("reserved[0].instance_id");

            poller.pollOnce();
            reservations.syncBackends();

            given().get("/api/v1/loadbalancer/load?instance_id=" + instanceId).then().statusCode(200)
                    .body("url", equalTo(instance.baseUrl())).body("private", equalTo(true));
            PoolRegistry.Route route = pools.route("team-llama", Long.parseLong(GpuTestData.TENANT_A)).orElseThrow();
            assertThat(route.pool().backends()).singleElement()
                    .satisfies(b -> assertThat(b.url()).isEqualTo(instance.baseUrl()));
            assertThat(pools.route("team-llama", Long.parseLong(GpuTestData.TENANT_B))).isEmpty();

            // Released: the pool and its backend go with it.
            given().delete("/api/v1/gpu/reservations/" + reserved.jsonPath().getLong("reservation_id")).then()
                    .statusCode(200).body("state", equalTo("released"));
            assertThat(pools.route("team-llama", Long.parseLong(GpuTestData.TENANT_A))).isEmpty();
        }
    }
}
