package dev.gpuproxy.provider.vastai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Contract tests for the vast.ai adapter against a local stub that serves vast.ai's recorded response shapes. */
class VastAiProviderTest {

    private static final String API_KEY = "vk-7f3c9a1be0d24c55";

    @RegisterExtension
    static WireMockExtension vast = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** Retries as in production, with waits short enough for a test suite. */
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), 1.5, Duration.ofSeconds(1));

    private VastAiProvider provider;

    @BeforeEach
    void createProvider() {
        provider = providerWithTimeout("PT5S");
    }

    private VastAiProvider providerWithTimeout(String timeout) {
        return new VastAiProviderFactory().create(Map.of(
                "api_key", API_KEY,
                "api_url", "http://127.0.0.1:" + vast.getPort() + "/",
                "timeout", timeout), QUICK);
    }

    private static String fixture(String name) {
        try (InputStream in = VastAiProviderTest.class.getResourceAsStream("/vastai/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- search -------------------------------------------------------------------------------------------

    @Test
    void searchSendsVerifiedRentableDefaults() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson("{\"offers\":[]}")));

        provider.listOffers(OfferQuery.any());

        vast.verify(postRequestedFor(urlEqualTo("/api/v0/bundles/"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withRequestBody(equalToJson("""
                        {"verified": {"eq": true}, "external": {"eq": false},
                         "rentable": {"eq": true}, "rented": {"eq": false},
                         "order": [["score", "desc"]], "type": "on-demand",
                         "allocated_storage": 5.0, "limit": 64}
                        """)));
    }

    @Test
    void searchTranslatesQueryIntoFilterLanguageWithMegabytesAndSpacedGpuName() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson("{\"offers\":[]}")));

        provider.listOffers(OfferQuery.builder()
                .minVramGb(24.0)
                .maxPricePerHour(new BigDecimal("0.75"))
                .gpuModel("RTX_4090")
                .location("no")
                .minReliability(0.95)
                .gpuCount(2)
                .limit(10)
                .build());

        vast.verify(postRequestedFor(urlEqualTo("/api/v0/bundles/")).withRequestBody(equalToJson("""
                {"verified": {"eq": true}, "external": {"eq": false},
                 "rentable": {"eq": true}, "rented": {"eq": false},
                 "gpu_ram": {"gte": 24000.0}, "dph_total": {"lte": 0.75},
                 "gpu_name": {"eq": "RTX 4090"}, "reliability2": {"gte": 0.95},
                 "num_gpus": {"eq": 2}, "geolocation": {"eq": "NO"},
                 "order": [["score", "desc"]], "type": "on-demand",
                 "allocated_storage": 5.0, "limit": 10}
                """)));
    }

    @Test
    void searchMapsOffersFromMegabytesToGigabytesWithExactPrices() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson(fixture("offers.json"))));

        List<Offer> offers = provider.listOffers(OfferQuery.any());

        assertEquals(2, offers.size());
        Offer rtx = offers.get(0);
        assertEquals("18456233", rtx.id());
        assertEquals("vastai", rtx.provider());
        assertEquals("RTX 4090", rtx.gpuName());
        assertEquals(2, rtx.gpuCount());
        assertEquals(24.564, rtx.vramGb(), 1e-9);
        assertEquals(32.0, rtx.cpuCores());
        assertEquals(257.612, rtx.ramGb(), 1e-9);
        assertEquals(412.7, rtx.storageGb(), 1e-9);
        assertEquals(new BigDecimal("0.6347222222222222"), rtx.pricePerHour());
        assertEquals("Oslo, NO", rtx.location());
        assertEquals(0.9961, rtx.reliability(), 1e-9);
        assertEquals(91.54, rtx.dlperf(), 1e-9);
        assertTrue(rtx.available());
        assertEquals("118542", rtx.hostId());
        assertEquals(144.22, rtx.dlperfPerDollar(), 0.01);
        assertEquals("AMD EPYC 7B13 64-Core Processor", rtx.raw().get("cpu_name"));

        Offer a100 = offers.get(1);
        assertEquals(81.92, a100.vramGb(), 1e-9);
        assertEquals(32.0, a100.cpuCores(), "falls back to cpu_cores without cpu_cores_effective");
        assertEquals(0.98, a100.reliability(), 1e-9, "falls back to reliability without reliability2");
    }

    @Test
    void searchMatchesFreeTextLocationLocallyBecauseVastFiltersOnlyCountryCodes() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson(fixture("offers.json"))));

        List<Offer> offers = provider.listOffers(OfferQuery.builder().location("texas").build());

        assertEquals(List.of("9912001"), offers.stream().map(Offer::id).toList());
        vast.verify(postRequestedFor(urlEqualTo("/api/v0/bundles/"))
                .withRequestBody(notContaining("geolocation")));
    }

    // --- launch -------------------------------------------------------------------------------------------

    @Test
    void launchPutsImageEnvPortMappingsDiskAndRuntypeToTheAsk() {
        vast.stubFor(put("/api/v0/asks/18456233/").willReturn(okJson(
                "{\"success\": true, \"new_contract\": 7731022, \"instance_api_key\": \"ik-not-for-us\"}")));

        Instance instance = provider.launch("18456233", LaunchSpec.builder("vllm/vllm-openai:latest")
                .env("HF_TOKEN", "hf_abc")
                .port(8000)
                .diskGb(60)
                .label("gpuproxy-tenant-42")
                .onstart("nvidia-smi")
                .build());

        assertEquals("7731022", instance.id());
        assertEquals("18456233", instance.offerId());
        assertEquals(InstanceState.PENDING, instance.state());
        vast.verify(putRequestedFor(urlEqualTo("/api/v0/asks/18456233/"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withRequestBody(equalToJson("""
                        {"client_id": "me", "image": "vllm/vllm-openai:latest",
                         "env": {"HF_TOKEN": "hf_abc", "-p 8000:8000": "1"},
                         "disk": 60, "runtype": "args", "label": "gpuproxy-tenant-42",
                         "onstart": "nvidia-smi", "price": null}
                        """)));
    }

    @Test
    void launchOfOfferNoLongerAvailableIsPermanentGone() {
        vast.stubFor(put("/api/v0/asks/18456233/").willReturn(aResponse().withStatus(410)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\": false, \"error\": \"no_longer_available\", "
                        + "\"msg\": \"Offer 18456233 is no longer available.\"}")));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("18456233", LaunchSpec.builder("img").build()));

        assertEquals(ProviderException.Kind.GONE, e.kind());
        assertFalse(e.retryable());
        assertEquals(410, e.httpStatus());
        assertTrue(e.getMessage().contains("no_longer_available: Offer 18456233 is no longer available."), e.getMessage());
        vast.verify(1, putRequestedFor(urlEqualTo("/api/v0/asks/18456233/")));
    }

    @Test
    void launchOfUnknownAskIsNotFound() {
        vast.stubFor(put("/api/v0/asks/1/").willReturn(aResponse().withStatus(404)
                .withBody("{\"success\": false, \"error\": \"no_such_ask\", \"msg\": \"Instance type by id 1 is not available.\"}")));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("1", LaunchSpec.builder("img").build()));

        assertEquals(ProviderException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("no_such_ask"), e.getMessage());
    }

    @Test
    void launchRefusedWithSuccessFalseIsInvalidRequestWithProviderMessage() {
        vast.stubFor(put("/api/v0/asks/5/").willReturn(okJson(
                "{\"success\": false, \"error\": \"invalid_args\", \"msg\": \"disk must be at least 8 GB\"}")));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("5", LaunchSpec.builder("img").build()));

        assertEquals(ProviderException.Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("invalid_args: disk must be at least 8 GB"), e.getMessage());
    }

    @Test
    void launchWithoutImageIsRejectedBeforeCallingVast() {
        ProviderException e = assertThrows(ProviderException.class,
                () -> provider.launch("5", LaunchSpec.builder(null).build()));

        assertEquals(ProviderException.Kind.INVALID_REQUEST, e.kind());
        assertEquals(0, vast.getAllServeEvents().size());
    }

    // --- show / list --------------------------------------------------------------------------------------

    @Test
    void showMapsRunningInstanceWithPublicPortsAndStartDate() {
        vast.stubFor(get("/api/v0/instances/7731022/?owner=me").willReturn(okJson(fixture("instance-running.json"))));

        Instance instance = provider.get("7731022").orElseThrow();

        assertEquals("7731022", instance.id());
        assertEquals(InstanceState.RUNNING, instance.state());
        assertEquals("RTX 4090", instance.gpuName());
        assertEquals(2, instance.gpuCount());
        assertEquals(new BigDecimal("0.6347222222222222"), instance.pricePerHour());
        assertEquals("185.32.10.7", instance.host());
        assertEquals(Map.of(22, 20001, 8000, 20000), instance.portMap());
        assertEquals(Optional.of("185.32.10.7:20000"), instance.endpoint(8000));
        assertEquals(Instant.parse("2025-12-30T00:00:00.250Z"), instance.startedAt());
        assertEquals("success, running vllm/vllm-openai_latest/ssh", instance.statusMessage());
        vast.verify(getRequestedFor(urlPathEqualTo("/api/v0/instances/7731022/"))
                .withQueryParam("owner", equalTo("me"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY)));
    }

    @Test
    void showOfFreshInstanceIsPendingWithoutEndpoint() {
        vast.stubFor(get("/api/v0/instances/9/?owner=me").willReturn(okJson(
                "{\"instances\": {\"id\": 9, \"actual_status\": null, \"intended_status\": \"running\", "
                        + "\"public_ipaddr\": null, \"ports\": null, \"status_msg\": null, \"gpu_name\": \"A40\", "
                        + "\"num_gpus\": 1, \"dph_total\": 0.4}}")));

        Instance instance = provider.get("9").orElseThrow();

        assertEquals(InstanceState.PENDING, instance.state());
        assertNull(instance.host());
        assertTrue(instance.portMap().isEmpty());
        assertEquals(Optional.empty(), instance.endpoint(8000));
    }

    @Test
    void showOfUnknownInstanceIsEmptyWhetherNullOr404() {
        vast.stubFor(get("/api/v0/instances/404404/?owner=me").willReturn(okJson("{\"instances\": null}")));
        vast.stubFor(get("/api/v0/instances/405405/?owner=me").willReturn(aResponse().withStatus(404)
                .withBody("{\"success\": false, \"error\": \"no_such_instance\", \"msg\": \"not found\"}")));

        assertEquals(Optional.empty(), provider.get("404404"));
        assertEquals(Optional.empty(), provider.get("405405"));
    }

    @Test
    void actualStatusMapsToProviderNeutralStates() {
        assertEquals(InstanceState.PENDING, VastInstances.state(null));
        assertEquals(InstanceState.PENDING, VastInstances.state("created"));
        assertEquals(InstanceState.LOADING, VastInstances.state("loading"));
        assertEquals(InstanceState.RUNNING, VastInstances.state("running"));
        assertEquals(InstanceState.STOPPED, VastInstances.state("exited"));
        assertEquals(InstanceState.STOPPED, VastInstances.state("stopped"));
        assertEquals(InstanceState.FAILED, VastInstances.state("offline"));
        assertEquals(InstanceState.FAILED, VastInstances.state("unknown"));
    }

    @Test
    void listFollowsAfterTokenUntilNextTokenIsNull() {
        vast.stubFor(get("/api/v1/instances/?limit=25").willReturn(okJson(fixture("instances-page1.json"))));
        vast.stubFor(get("/api/v1/instances/?limit=25&after_token=eyJpZCI6IDEwMn0%3D")
                .willReturn(okJson(fixture("instances-page2.json"))));

        List<Instance> instances = provider.list();

        assertEquals(List.of("101", "102", "103"), instances.stream().map(Instance::id).toList());
        assertEquals(List.of(InstanceState.RUNNING, InstanceState.LOADING, InstanceState.STOPPED),
                instances.stream().map(Instance::state).toList());
        assertEquals(Optional.of("10.0.0.1:41000"), instances.get(0).endpoint(8000));
        assertEquals("Container stopped", instances.get(2).statusMessage());
        vast.verify(getRequestedFor(urlPathEqualTo("/api/v1/instances/")).withQueryParam("after_token", absent()));
        vast.verify(getRequestedFor(urlPathEqualTo("/api/v1/instances/"))
                .withQueryParam("after_token", equalTo("eyJpZCI6IDEwMn0=")));
    }

    // --- destroy / stop / start ---------------------------------------------------------------------------

    @Test
    void destroySendsDeleteWithEmptyJsonBody() {
        vast.stubFor(delete("/api/v0/instances/7731022/").willReturn(okJson("{\"success\": true}")));

        provider.destroy("7731022");

        vast.verify(deleteRequestedFor(urlEqualTo("/api/v0/instances/7731022/"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withRequestBody(equalToJson("{}")));
    }

    @Test
    void destroyOfUnknownInstanceIsNotFound() {
        vast.stubFor(delete("/api/v0/instances/1/").willReturn(aResponse().withStatus(404)
                .withBody("{\"success\": false, \"error\": \"no_such_instance\", \"msg\": \"Instance 1 not found.\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.destroy("1"));

        assertEquals(ProviderException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("Instance 1 not found."), e.getMessage());
    }

    @Test
    void stopAndStartPutTheIntendedState() {
        vast.stubFor(put("/api/v0/instances/7731022/").willReturn(okJson("{\"success\": true}")));

        provider.stop("7731022");
        provider.start("7731022");

        vast.verify(putRequestedFor(urlEqualTo("/api/v0/instances/7731022/"))
                .withRequestBody(equalToJson("{\"state\": \"stopped\"}")));
        vast.verify(putRequestedFor(urlEqualTo("/api/v0/instances/7731022/"))
                .withRequestBody(equalToJson("{\"state\": \"running\"}")));
    }

    @Test
    void declaresStopAndStartButNotExtend() {
        assertEquals(Set.of(Capability.STOP, Capability.START), provider.capabilities());
        ProviderException e = assertThrows(ProviderException.class, () -> provider.extend("1", Duration.ofHours(1)));
        assertEquals(ProviderException.Kind.UNSUPPORTED, e.kind());
    }

    // --- failures -----------------------------------------------------------------------------------------

    @Test
    void rateLimitWithoutRetryAfterIsRetriedWithBackoffThenSucceeds() {
        vast.stubFor(post("/api/v0/bundles/").inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/plain")
                        .withBody("API requests too frequent endpoint threshold=2.0"))
                .willSetStateTo("cooled"));
        vast.stubFor(post("/api/v0/bundles/").inScenario("rate").whenScenarioStateIs("cooled")
                .willReturn(okJson(fixture("offers.json"))));

        List<Offer> offers = provider.listOffers(OfferQuery.any());

        assertEquals(2, offers.size());
        vast.verify(2, postRequestedFor(urlEqualTo("/api/v0/bundles/")));
    }

    @Test
    void persistentRateLimitIsReportedRetryableWithVastsText() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(aResponse().withStatus(429)
                .withBody("API requests too frequent endpoint threshold=2.0")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("API requests too frequent"), e.getMessage());
        vast.verify(4, postRequestedFor(urlEqualTo("/api/v0/bundles/")));
    }

    @Test
    void serverErrorsExhaustRetriesAndStayRetryable() {
        vast.stubFor(get("/api/v1/instances/?limit=25").willReturn(aResponse().withStatus(502)
                .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.list());

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(502, e.httpStatus());
        vast.verify(4, getRequestedFor(urlPathEqualTo("/api/v1/instances/")));
    }

    @Test
    void answerSlowerThanConfiguredTimeoutIsRetryableTimeout() {
        VastAiProvider impatient = providerWithTimeout("0.2");
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson(fixture("offers.json")).withFixedDelay(1500)));

        ProviderException e = assertThrows(ProviderException.class, () -> impatient.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.TIMEOUT, e.kind());
        assertTrue(e.retryable());
    }

    @Test
    void truncatedJsonIsMalformedResponse() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson("{\"offers\": [{\"id\": 1, \"gpu_na")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertFalse(e.retryable());
    }

    @Test
    void answerWithoutOffersArrayIsMalformedResponse() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson("{\"offers\": \"none\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
    }

    @Test
    void rejectedApiKeyIsUnauthorizedAndNeverAppearsInTheMessage() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(aResponse().withStatus(401).withBody(
                "{\"success\": false, \"error\": \"auth_error\", \"msg\": \"Invalid API key " + API_KEY + "\"}")));

        ProviderException e = assertThrows(ProviderException.class, () -> provider.listOffers(OfferQuery.any()));

        assertEquals(ProviderException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains(API_KEY), e.getMessage());
        assertTrue(e.getMessage().contains("auth_error: Invalid API key ***"), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains(API_KEY));
    }

    // --- factory ------------------------------------------------------------------------------------------

    @Test
    void factoryIsRegisteredForServiceLoaderAndEnabledOnlyWithApiKey() {
        GpuProviderFactory factory = ServiceLoader.load(GpuProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("vastai"))
                .findFirst().orElseThrow();

        assertTrue(factory.isConfigured(Map.of("api_key", API_KEY)));
        assertFalse(factory.isConfigured(Map.of("api_url", "http://127.0.0.1:1")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(Map.of()));
        assertTrue(e.getMessage().contains("api_key"), e.getMessage());
        assertEquals("vastai", factory.create(Map.of("api_key", API_KEY)).id());
    }
}
