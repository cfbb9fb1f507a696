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
import dev.gpuproxy.provider.support.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

    /** Retries as in production, with waits short enough for a test suite. */
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), 1.5, Duration.ofSeconds(1));

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
        return new IoNetProviderFactory().create(config, QUICK);
    }

    private static String fixture(String name) {
        try (InputStream in = IoNetProviderTest.class.getResourceAsStream("/ionet/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stubCatalog() {
        io.stubFor(get(urlPathEqualTo(VMAAS + "/hardware")).willReturn(okJson(fixture("hardware.json"))));
    }

    // --- offers -------------------------------------------------------------------------------------------

    @Test
    void offersComeFromTheDocumentedHardwareListInOneCall() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.any());

        assertEquals(List.of("hw-12-loc-US-g1", "hw-12-loc-NO-g1", "hw-12-loc-NO-g2", "hw-H100_sxm5-loc-CA-g1"),
                offers.stream().map(Offer::id).toList(), "no offer for sold-out hardware");
        Offer us = offers.get(0);
        assertEquals("ionet", us.provider());
        assertEquals("GeForce RTX 4090", us.gpuName());
        assertEquals(1, us.gpuCount());
        assertEquals(24.0, us.vramGb());
        assertEquals(new BigDecimal("0.318"), us.pricePerHour(), "io.net's price per hour, exact");
        assertEquals("US", us.location());
        assertEquals(39.0, us.cpuCores());
        assertEquals(125.0, us.ramGb());
        assertEquals(500.0, us.storageGb());
        assertTrue(us.available());
        assertEquals(2, offers.get(2).gpuCount());
        assertEquals(0, new BigDecimal("0.70").compareTo(offers.get(2).pricePerHour()));
        assertEquals(80.0, offers.get(3).vramGb(), "no vram_per_card: memory read from the hardware name");

        io.verify(1, getRequestedFor(urlEqualTo(VMAAS + "/hardware"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withHeader("Authorization", absent()));
        // Only documented endpoints: no undocumented catalogue calls, no per-offer price requests.
        assertEquals(1, io.getAllServeEvents().size());
        io.verify(0, getRequestedFor(urlPathEqualTo(VMAAS + "/hardware/max-gpus-per-vm")));
        io.verify(0, getRequestedFor(urlPathEqualTo(VMAAS + "/available-vms")));
        io.verify(0, getRequestedFor(urlPathEqualTo(VMAAS + "/price")));
    }

    @Test
    void offersPassTheDocumentedFiltersAndApplyThemAgain() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.builder()
                .gpuModel("rtx_4090")
                .minVramGb(23.5)
                .location("no")
                .maxPricePerHour(new BigDecimal("0.80"))
                .gpuCount(2)
                .build());

        assertEquals(List.of("hw-12-loc-NO-g2"), offers.stream().map(Offer::id).toList(),
                "the stub ignores the filters, so the adapter must apply them too");
        io.verify(getRequestedFor(urlPathEqualTo(VMAAS + "/hardware"))
                .withQueryParam("gpu", equalTo("rtx 4090"))
                .withQueryParam("gpu_memory_min", equalTo("24"))
                .withQueryParam("regions", equalTo("NO")));
    }

    @Test
    void offersAbovePriceCeilingAreLeftOut() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.builder().maxPricePerHour(new BigDecimal("0.33")).build());

        assertEquals(List.of("hw-12-loc-US-g1"), offers.stream().map(Offer::id).toList());
    }

    @Test
    void offersStopAtTheLimit() {
        stubCatalog();

        List<Offer> offers = provider.listOffers(OfferQuery.builder().limit(1).build());

        assertEquals(1, offers.size());
    }

    @Test
    void hardwareItemWithoutPriceIsMalformedResponse() {
        io.stubFor(get(urlPathEqualTo(VMAAS + "/hardware")).willReturn(okJson("{\"data\": {\"hardware\": [{\"id\": \"12__1\","
                + " \"deploy_id\": 12, \"name\": \"GeForce RTX 4090\", \"num_cards\": 1, \"location\": \"US\"}]}}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("price"), e.getMessage());
    }

    // --- deploy -------------------------------------------------------------------------------------------

    @Test
    void deployPostsHardwareLocationGpusDurationAndPublishedPorts() {
        io.stubFor(post(VMAAS + "/deploy").willReturn(okJson(
                "{\"status\": \"success\", \"deployment_id\": \"" + DEPLOYMENT_ID + "\"}")));

        Instance instance = provider.launch("hw-12-loc-US-g1", LaunchSpec.builder("vllm/vllm-openai:latest")
                .port(8000).label("tenant-42").durationHours(4).build());

        assertEquals(DEPLOYMENT_ID, instance.id());
        assertEquals("hw-12-loc-US-g1", instance.offerId());
        assertEquals(InstanceState.PENDING, instance.state());
        assertEquals(1, instance.gpuCount());
        io.verify(postRequestedFor(urlEqualTo(VMAAS + "/deploy"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withRequestBody(equalToJson("""
                        {"resource_private_name": "${json-unit.any-string}",
                         "duration_hours": 4, "gpus_per_vm": 1, "hardware_id": 12, "location_ids": ["US"],
                         "vm_image_type": "general", "ssh_keys": {},
                         "network_services": {"port-8000": {"port": 8000, "protocol": "tcp", "whitelist": ["0.0.0.0/0"]}}}
                        """))
                .withRequestBody(matchingJsonPath("$.resource_private_name", matching("tenant-42-[0-9a-f]{8}"))));
    }

    @Test
    void deployUsesConfiguredDefaultsAndStringHardwareIds() {
        IoNetProvider configured = provider(Map.of("duration_hours", "3", "whitelist", "203.0.113.0/24, 198.51.100.7/32"));
        io.stubFor(post(VMAAS + "/deploy").willReturn(okJson("{\"data\": {\"deployment_id\": \"d-1\"}}")));

        Instance instance = configured.launch("hw-H100_sxm5x8-loc-CA-g8", LaunchSpec.builder(null).port(22).build());

        assertEquals("d-1", instance.id());
        io.verify(postRequestedFor(urlEqualTo(VMAAS + "/deploy")).withRequestBody(equalToJson("""
                {"resource_private_name": "${json-unit.regex}gpuproxy-[0-9a-f]{8}",
                 "duration_hours": 3, "gpus_per_vm": 8, "hardware_id": "H100_sxm5x8", "location_ids": ["CA"],
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
                () -> provider.launch("hw-12-loc-US-g1", LaunchSpec.builder(null).build()));

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
        assertEquals("hw-12-loc-US-g1", instance.offerId(), "rebuilt with the location's iso2, as the hardware list names it");
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
        // io.net documents the list's pages from 0.
        io.stubFor(get(VMAAS + "/deployments?page=0&page_size=100").willReturn(okJson(fixture("deployments-page1.json"))));
        io.stubFor(get(VMAAS + "/deployments?page=1&page_size=100").willReturn(okJson(fixture("deployments-page2.json"))));

        List<Instance> instances = provider.list();

        assertEquals(3, instances.size());
        assertEquals(List.of(InstanceState.LOADING, InstanceState.PENDING, InstanceState.TERMINATED),
                instances.stream().map(Instance::state).toList());
        assertEquals(8, instances.get(1).gpuCount());
        io.verify(2, getRequestedFor(urlPathEqualTo(VMAAS + "/deployments")));
    }

    @Test
    void listKeepsEachDeploymentOnceWhenPageZeroRepeatsPageOne() {
        io.stubFor(get(VMAAS + "/deployments?page=0&page_size=100").willReturn(okJson(fixture("deployments-page1.json"))));
        io.stubFor(get(VMAAS + "/deployments?page=1&page_size=100").willReturn(okJson(fixture("deployments-page1.json"))));
        io.stubFor(get(VMAAS + "/deployments?page=2&page_size=100").willReturn(okJson(fixture("deployments-page2.json"))));

        List<Instance> instances = provider.list();

        assertEquals(3, instances.size());
        assertEquals(3, instances.stream().map(Instance::id).distinct().count());
    }

    @Test
    void deployBodyHoldsOnlyFieldsOfTheDocumentedRequest() throws Exception {
        // VMaasDeployRequest has additionalProperties: false; vms_qty is deprecated and left out, as io.net's example does.
        Set<String> documented = Set.of("ssh_keys", "resource_private_name", "node_pool_id", "duration_hours",
                "gpus_per_vm", "hardware_id", "location_ids", "vms_qty", "github_ids", "vm_image_type",
                "network_services");
        var body = provider.deployBody(IoNetOfferId.parse("hw-12-loc-US-g1"), LaunchSpec.builder(null).port(8000).build());

        body.fieldNames().forEachRemaining(name -> assertTrue(documented.contains(name), name));
        assertFalse(body.has("vms_qty"));
        assertEquals(1, body.path("location_ids").size(), "only one location is supported");
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
        io.verify(2, getRequestedFor(urlEqualTo(VMAAS + "/deployment/" + DEPLOYMENT_ID)));
    }

    @Test
    void serviceUnavailableExhaustsRetriesAndStaysRetryable() {
        io.stubFor(get(VMAAS + "/hardware").willReturn(aResponse().withStatus(503)
                .withBody("{\"detail\": \"Service temporarily unavailable\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("Service temporarily unavailable"), e.getMessage());
        io.verify(4, getRequestedFor(urlEqualTo(VMAAS + "/hardware")));
    }

    @Test
    void answerSlowerThanConfiguredTimeoutIsRetryableTimeout() {
        IoNetProvider impatient = provider(Map.of("timeout", "PT0.2S"));
        io.stubFor(get(VMAAS + "/hardware").willReturn(okJson(fixture("hardware.json")).withFixedDelay(1500)));

        ProviderException e = assertThrows(ProviderException.class, () -> impatient.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.TIMEOUT, e.kind());
        assertTrue(e.retryable());
    }

    @Test
    void malformedJsonIsMalformedResponse() {
        io.stubFor(get(VMAAS + "/hardware").willReturn(okJson("{\"data\": {\"hardware\": [{\"hardw")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertFalse(e.retryable());
    }

    @Test
    void rejectedApiKeyIsUnauthorizedAndNeverAppearsInTheMessage() {
        io.stubFor(get(VMAAS + "/hardware").willReturn(aResponse().withStatus(403)
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
