package dev.gpuproxy.provider.ionet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.gpuproxy.provider.spi.Capability;
import dev.gpuproxy.provider.spi.GpuProviderFactory;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Contract tests for the io.net VMaaS adapter against a local stub serving io.net's documented response shapes. */
class IoNetProviderTest {

    private static final String API_KEY = "io-v2-5d1c7e0a9b8f4e21";
    private static final String VMAAS = "/enterprise/v1/io-cloud/vmaas";
    private static final String DEPLOYMENT_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    @RegisterExtension
    static WireMockExtension io = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final List<Duration> sleeps = new ArrayList<>();
    private IoNetProvider provider;

    @BeforeEach
    void createProvider() {
        provider = provider(Map.of());
    }

    private IoNetProvider provider(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "api_key", API_KEY,
                "api_url", "http://127.0.0.1:" + io.getPort(),
                "timeout", "PT5S"));
        config.putAll(extra);
        return new IoNetProviderFactory().create(config, sleeps::add);
    }

    private static String fixture(String name) {
        try (InputStream in = IoNetProviderTest.class.getResourceAsStream("/ionet/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String price(String total) {
        return "{\"data\": {\"replica_count\": 1, \"gpus_per_vm\": 1, \"available_replica_count\": [1, 2, 4],"
                + " \"discount\": 0, \"ionet_fee\": 0.015, \"ionet_fee_percent\": 5,"
                + " \"currency_conversion_fee\": 0.003, \"currency_conversion_fee_percent\": 1,"
                + " \"total_cost_usdc\": " + total + "}}";
    }

    private void stubCatalog() {
        io.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm").willReturn(okJson(fixture("hardware.json"))));
        io.stubFor(get(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_id", equalTo("12"))
                .willReturn(okJson(fixture("available-vms-12.json"))));
        io.stubFor(get(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_id", equalTo("H100_sxm5x8"))
                .willReturn(okJson(fixture("available-vms-h100.json"))));
        io.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("hardware_id", equalTo("12"))
                .withQueryParam("location_ids", equalTo("[3]")).willReturn(okJson(price("0.318"))));
        io.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("hardware_id", equalTo("12"))
                .withQueryParam("location_ids", equalTo("[9]")).willReturn(okJson(price("0.35"))));
        io.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("hardware_id", equalTo("H100_sxm5x8"))
                .withQueryParam("location_ids", equalTo("[11]")).willReturn(okJson(price("2.49"))));
    }

    // --- offers -------------------------------------------------------------------------------------------

    @Test
    void offersCombineHardwareFreeLocationsAndHourlyPrice() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.any());

        assertEquals(List.of("hw-12-loc-3-g1", "hw-12-loc-9-g1", "hw-H100_sxm5x8-loc-11-g1"),
                offers.stream().map(Offer::id).toList(), "no offer for a sold-out location or hardware");
        Offer us = offers.get(0);
        assertEquals("ionet", us.provider());
        assertEquals("GeForce RTX 4090", us.gpuName());
        assertEquals(1, us.gpuCount());
        assertEquals(24.0, us.vramGb());
        assertEquals(new BigDecimal("0.318"), us.pricePerHour());
        assertEquals("United States, US", us.location());
        assertTrue(us.available());
        assertEquals(80.0, offers.get(2).vramGb(), "memory read from the hardware name");
        assertEquals(new BigDecimal("2.49"), offers.get(2).pricePerHour());

        io.verify(getRequestedFor(urlEqualTo(VMAAS + "/hardware/max-gpus-per-vm"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withHeader("Authorization", absent()));
        io.verify(getRequestedFor(urlPathEqualTo(VMAAS + "/available-vms"))
                .withQueryParam("hardware_id", equalTo("12"))
                .withQueryParam("hardware_qty", equalTo("1")));
        io.verify(getRequestedFor(urlPathEqualTo(VMAAS + "/price"))
                .withQueryParam("location_ids", equalTo("[3]"))
                .withQueryParam("hardware_id", equalTo("12"))
                .withQueryParam("currency", equalTo("usdc"))
                .withQueryParam("duration_hours", equalTo("1"))
                .withQueryParam("gpus_per_vm", equalTo("1"))
                .withQueryParam("replica_count", equalTo("1")));
        io.verify(0, getRequestedFor(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_id", equalTo("31")));
    }

    @Test
    void offersApplyModelMemoryLocationPriceAndGpuCount() {
        stubCatalog();
        io.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("gpus_per_vm", equalTo("2"))
                .withQueryParam("location_ids", equalTo("[9]")).willReturn(okJson(price("0.70"))));

        List<Offer> offers = provider.listOffers(OfferQuery.builder()
                .gpuModel("rtx_4090")
                .minVramGb(24.0)
                .location("NO")
                .maxPricePerHour(new BigDecimal("0.80"))
                .gpuCount(2)
                .build());

        assertEquals(List.of("hw-12-loc-9-g2"), offers.stream().map(Offer::id).toList());
        assertEquals(2, offers.get(0).gpuCount());
        io.verify(getRequestedFor(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_qty", equalTo("2")));
        io.verify(0, getRequestedFor(urlPathEqualTo(VMAAS + "/available-vms"))
                .withQueryParam("hardware_id", equalTo("H100_sxm5x8")));
    }

    @Test
    void offersAbovePriceCeilingAreLeftOut() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.builder().maxPricePerHour(new BigDecimal("0.33")).build());

        assertEquals(List.of("hw-12-loc-3-g1"), offers.stream().map(Offer::id).toList());
    }

    @Test
    void offersStopAskingForPricesAtTheLimit() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.builder().limit(1).build());

        assertEquals(1, offers.size());
        io.verify(1, getRequestedFor(urlPathEqualTo(VMAAS + "/price")));
    }

    // --- deploy -------------------------------------------------------------------------------------------

    @Test
    void deployPostsHardwareLocationGpusDurationAndPublishedPorts() {
        io.stubFor(post(VMAAS + "/deploy").willReturn(okJson(
                "{\"status\": \"success\", \"deployment_id\": \"" + DEPLOYMENT_ID + "\"}")));

        Instance instance = provider.launch("hw-12-loc-3-g1", LaunchSpec.builder("vllm/vllm-openai:latest")
                .port(8000).label("tenant-42").durationHours(4).build());

        assertEquals(DEPLOYMENT_ID, instance.id());
        assertEquals("hw-12-loc-3-g1", instance.offerId());
        assertEquals(InstanceState.PENDING, instance.state());
        assertEquals(1, instance.gpuCount());
        io.verify(postRequestedFor(urlEqualTo(VMAAS + "/deploy"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withRequestBody(equalToJson("""
                        {"resource_private_name": "${json-unit.any-string}",
                         "duration_hours": 4, "gpus_per_vm": 1, "hardware_id": 12, "location_ids": [3],
                         "vm_image_type": "general", "ssh_keys": {},
                         "network_services": {"port-8000": {"port": 8000, "protocol": "tcp", "whitelist": ["0.0.0.0/0"]}}}
                        """))
                .withRequestBody(matchingJsonPath("$.resource_private_name", matching("tenant-42-[0-9a-f]{8}"))));
    }

    @Test
    void deployUsesConfiguredDefaultsAndStringHardwareIds() {
        IoNetProvider configured = provider(Map.of("duration_hours", "3", "whitelist", "203.0.113.0/24, 198.51.100.7/32"));
        io.stubFor(post(VMAAS + "/deploy").willReturn(okJson("{\"data\": {\"deployment_id\": \"d-1\"}}")));

        Instance instance = configured.launch("hw-H100_sxm5x8-loc-11-g8", LaunchSpec.builder(null).port(22).build());

        assertEquals("d-1", instance.id());
        io.verify(postRequestedFor(urlEqualTo(VMAAS + "/deploy")).withRequestBody(equalToJson("""
                {"resource_private_name": "${json-unit.regex}gpuproxy-[0-9a-f]{8}",
                 "duration_hours": 3, "gpus_per_vm": 8, "hardware_id": "H100_sxm5x8", "location_ids": [11],
                 "vm_image_type": "general", "ssh_keys": {},
                 "network_services": {"port-22": {"port": 22, "protocol": "tcp",
                                                  "whitelist": ["203.0.113.0/24", "198.51.100.7/32"]}}}
                """)));
    }

    @Test
    void validationErrorIsInvalidRequestNamingTheField() {
        io.stubFor(post(VMAAS + "/deploy").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\": [{\"loc\": [\"body\", \"hardware_id\"], \"msg\": \"field required\","
                        + " \"type\": \"value_error.missing\"}, {\"loc\": [\"body\", \"duration_hours\"],"
                        + " \"msg\": \"ensure this value is less than or equal to 8760\", \"type\": \"value_error\"}]}")));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("hw-12-loc-3-g1", LaunchSpec.builder(null).build()));

        assertEquals(ProviderException.Kind.INVALID_REQUEST, e.kind());
        assertFalse(e.retryable());
        assertEquals(422, e.httpStatus());
        assertTrue(e.getMessage().contains(
                "hardware_id: field required; duration_hours: ensure this value is less than or equal to 8760"),
                e.getMessage());
        io.verify(1, postRequestedFor(urlEqualTo(VMAAS + "/deploy")));
    }

    @Test
    void launchOfForeignOfferIdIsRejectedWithoutCallingIoNet() {
        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("18456233", LaunchSpec.builder(null).build()));

        assertEquals(ProviderException.Kind.INVALID_REQUEST, e.kind());
        assertEquals(0, io.getAllServeEvents().size());
    }

    // --- status / list ------------------------------------------------------------------------------------

    @Test
    void statusCombinesDeploymentDetailsWithVmPublicAddress() {
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID).willReturn(okJson(fixture("deployment-running.json"))));
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID + "/vms").willReturn(okJson(fixture("deployment-vms.json"))));

        Instance instance = provider.get(DEPLOYMENT_ID).orElseThrow();

        assertEquals(DEPLOYMENT_ID, instance.id());
        assertEquals(InstanceState.RUNNING, instance.state());
        assertEquals("hw-12-loc-3-g1", instance.offerId());
        assertEquals("GeForce RTX 4090", instance.gpuName());
        assertEquals(1, instance.gpuCount());
        assertEquals("64.247.196.10", instance.host());
        assertEquals(Map.of(8000, 31544), instance.portMap());
        assertEquals(Optional.of("64.247.196.10:31544"), instance.endpoint(8000));
        assertEquals(0, new BigDecimal("0.318").compareTo(instance.pricePerHour()), "1.908 paid for 6 hours");
        assertEquals(Instant.parse("2026-01-05T10:00:00Z"), instance.startedAt());
        assertEquals("VM is running", instance.statusMessage());
    }

    @Test
    void runningDeploymentWithoutVmYetIsStillLoading() {
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID).willReturn(okJson(fixture("deployment-running.json"))));
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID + "/vms")
                .willReturn(okJson("{\"data\": {\"total\": 0, \"workers\": []}}")));

        Instance instance = provider.get(DEPLOYMENT_ID).orElseThrow();

        assertEquals(InstanceState.LOADING, instance.state());
        assertNull(instance.host());
        assertEquals("running", instance.statusMessage());
    }

    @Test
    void unknownDeploymentIsEmpty() {
        io.stubFor(get(VMAAS + "/deployment/nope").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\": \"Not Found\"}")));

        assertEquals(Optional.empty(), provider.get("nope"));
    }

    @Test
    void deploymentStatusWordsMapToStates() {
        assertEquals(InstanceState.PENDING, IoNetDeployments.state("deployment requested", false));
        assertEquals(InstanceState.LOADING, IoNetDeployments.state("running", false));
        assertEquals(InstanceState.RUNNING, IoNetDeployments.state("running", true));
        assertEquals(InstanceState.RUNNING, IoNetDeployments.state("active", true));
        assertEquals(InstanceState.TERMINATED, IoNetDeployments.state("completed", true));
        assertEquals(InstanceState.TERMINATED, IoNetDeployments.state("termination requested", true));
        assertEquals(InstanceState.TERMINATED, IoNetDeployments.state("destroyed", false));
        assertEquals(InstanceState.FAILED, IoNetDeployments.state("failed", false));
    }

    @Test
    void listPagesThroughDeploymentsUntilTotalIsReached() {
        io.stubFor(get(VMAAS + "/deployments?page=1&page_size=100").willReturn(okJson(fixture("deployments-page1.json"))));
        io.stubFor(get(VMAAS + "/deployments?page=2&page_size=100").willReturn(okJson(fixture("deployments-page2.json"))));

        List<Instance> instances = provider.list();

        assertEquals(3, instances.size());
        assertEquals(List.of(InstanceState.LOADING, InstanceState.PENDING, InstanceState.TERMINATED),
                instances.stream().map(Instance::state).toList());
        assertEquals(8, instances.get(1).gpuCount());
        io.verify(2, getRequestedFor(urlPathEqualTo(VMAAS + "/deployments")));
    }

    // --- extend / terminate -------------------------------------------------------------------------------

    @Test
    void extendBuysWholeHoursRoundedUp() {
        io.stubFor(post(VMAAS + "/deployment/" + DEPLOYMENT_ID + "/extend").willReturn(okJson(fixture("deployment-running.json"))));

        provider.extend(DEPLOYMENT_ID, Duration.ofMinutes(90));

        io.verify(postRequestedFor(urlEqualTo(VMAAS + "/deployment/" + DEPLOYMENT_ID + "/extend"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withRequestBody(equalToJson("{\"duration_hours\": 2}")));
    }

    @Test
    void terminateDeletesTheDeployment() {
        io.stubFor(delete(VMAAS + "/deployment/" + DEPLOYMENT_ID).willReturn(okJson("{\"status\": \"succeeded\"}")));

        provider.destroy(DEPLOYMENT_ID);

        io.verify(deleteRequestedFor(urlEqualTo(VMAAS + "/deployment/" + DEPLOYMENT_ID))
                .withHeader("x-api-key", equalTo(API_KEY)));
    }

    @Test
    void declaresExtendButNotStopOrStart() {
        assertEquals(Set.of(Capability.EXTEND), provider.capabilities());
        ProviderException e = assertThrows(ProviderException.class, () -> provider.stop(DEPLOYMENT_ID));
        assertEquals(ProviderException.Kind.UNSUPPORTED, e.kind());
        assertThrows(ProviderException.class, () -> provider.start(DEPLOYMENT_ID));
    }

    // --- failures -----------------------------------------------------------------------------------------

    @Test
    void rateLimitWithoutRetryAfterIsRetriedThenSucceeds() {
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withBody("{\"detail\": \"Too Many Requests\"}"))
                .willSetStateTo("cooled"));
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID).inScenario("rate").whenScenarioStateIs("cooled")
                .willReturn(okJson(fixture("deployment-running.json"))));
        io.stubFor(get(VMAAS + "/deployment/" + DEPLOYMENT_ID + "/vms").willReturn(okJson(fixture("deployment-vms.json"))));

        assertEquals(InstanceState.RUNNING, provider.get(DEPLOYMENT_ID).orElseThrow().state());
        assertEquals(List.of(Duration.ofMillis(150)), sleeps);
    }

    @Test
    void serviceUnavailableExhaustsRetriesAndStaysRetryable() {
        io.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm").willReturn(aResponse().withStatus(503)
                .withBody("{\"detail\": \"Service temporarily unavailable\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("Service temporarily unavailable"), e.getMessage());
        io.verify(4, getRequestedFor(urlEqualTo(VMAAS + "/hardware/max-gpus-per-vm")));
    }

    @Test
    void answerSlowerThanConfiguredTimeoutIsRetryableTimeout() {
        IoNetProvider impatient = provider(Map.of("timeout", "PT0.2S"));
        io.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm").willReturn(okJson(fixture("hardware.json")).withFixedDelay(1500)));

        ProviderException e = assertThrows(ProviderException.class, () -> impatient.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.TIMEOUT, e.kind());
        assertTrue(e.retryable());
    }

    @Test
    void malformedJsonIsMalformedResponse() {
        io.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm").willReturn(okJson("{\"data\": {\"hardware\": [{\"hardw")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertFalse(e.retryable());
    }

    @Test
    void priceWithoutTotalIsMalformedResponse() {
        stubCatalog();
        io.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("location_ids", equalTo("[3]"))
                .willReturn(okJson("{\"data\": {\"replica_count\": 1}}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("total_cost_usdc"), e.getMessage());
    }

    @Test
    void rejectedApiKeyIsUnauthorizedAndNeverAppearsInTheMessage() {
        io.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm").willReturn(aResponse().withStatus(403)
                .withBody("{\"detail\": \"Invalid API key: " + API_KEY + "\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains(API_KEY), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid API key: ***"), e.getMessage());
    }

    // --- factory and helpers ------------------------------------------------------------------------------

    @Test
    void factoryIsRegisteredForServiceLoaderAndEnabledOnlyWithApiKey() {
        GpuProviderFactory factory = ServiceLoader.load(GpuProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("ionet"))
                .findFirst().orElseThrow();

        assertTrue(factory.isConfigured(Map.of("api_key", API_KEY)));
        assertFalse(factory.isConfigured(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.create(Map.of("api_key", API_KEY, "duration_hours", "0")));
        assertTrue(e.getMessage().contains("duration_hours"), e.getMessage());
        assertEquals("ionet", factory.create(Map.of("api_key", API_KEY)).id());
    }

    @Test
    void gpuMemoryComesFromTheNameOrTheModelsStandardSize() {
        assertEquals(40.0, GpuVram.forName("A100 SXM4 40GB"));
        assertEquals(80.0, GpuVram.forName("A100 SXM4"));
        assertEquals(24.0, GpuVram.forName("A10"));
        assertEquals(48.0, GpuVram.forName("L40S"));
        assertEquals(24.0, GpuVram.forName("NVIDIA L4"));
        assertEquals(24.0, GpuVram.forName("GeForce RTX 4090"));
        assertEquals(0.0, GpuVram.forName("Mystery Accelerator"));
    }

    @Test
    void offerIdRoundTripsHardwareLocationAndGpuCount() {
        IoNetOfferId id = IoNetOfferId.parse("hw-B200_sxm6x8-loc-US-g8");

        assertEquals(new IoNetOfferId("B200_sxm6x8", "US", 8), id);
        assertEquals("hw-B200_sxm6x8-loc-US-g8", id.toString());
    }
}
