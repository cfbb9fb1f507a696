package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Local stand-ins for vast.ai and io.net (WireMock on 127.0.0.1), serving the providers' real response shapes from
 * {@code src/test/resources/gpu}. Injected into test fields annotated {@link InjectProviderStubs}.
 */
public record ProviderStubs(WireMockServer vast, WireMockServer ionet) {

    public static final String VAST_KEY = "vk-test-1f2e3d4c5b6a";
    public static final String IONET_KEY = "io-v2-test-9a8b7c6d";
    public static final String VMAAS = "/enterprise/v1/io-cloud/vmaas";

    public static String fixture(String name) {
        try (InputStream in = ProviderStubs.class.getResourceAsStream("/gpu/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void reset() {
        vast.resetAll();
        ionet.resetAll();
    }

    /** vast.ai's search answering its recorded two offers (RTX 4090 x2 in Oslo, A100 SXM4 in Texas). */
    public void vastOffers() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(okJson(fixture("vastai-offers.json"))));
    }

    /** vast.ai's search failing with a server error. */
    public void vastDown() {
        vast.stubFor(post("/api/v0/bundles/").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\": false, \"error\": \"server_error\", \"msg\": \"Internal error, try again\"}")));
    }

    /**
     * io.net's catalog: RTX 4090 free in the US (0.318 $/h) and Norway (0.35 $/h), H100 in Canada (2.49 $/h).
     *
     * @param delayMs how long the first call takes to answer (0: at once)
     */
    public void ionetOffers(int delayMs) {
        ionet.stubFor(get(VMAAS + "/hardware/max-gpus-per-vm")
                .willReturn(okJson(fixture("ionet-hardware.json")).withFixedDelay(delayMs)));
        ionet.stubFor(get(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_id", equalTo("12"))
                .willReturn(okJson(fixture("ionet-available-vms-12.json"))));
        ionet.stubFor(get(urlPathEqualTo(VMAAS + "/available-vms")).withQueryParam("hardware_id", equalTo("H100_sxm5x8"))
                .willReturn(okJson(fixture("ionet-available-vms-h100.json"))));
        ionetPrice("12", "[3]", "0.318");
        ionetPrice("12", "[9]", "0.35");
        ionetPrice("H100_sxm5x8", "[11]", "2.49");
    }

    private void ionetPrice(String hardware, String locations, String total) {
        ionet.stubFor(get(urlPathEqualTo(VMAAS + "/price")).withQueryParam("hardware_id", equalTo(hardware))
                .withQueryParam("location_ids", equalTo(locations))
                .willReturn(okJson("{\"data\": {\"replica_count\": 1, \"gpus_per_vm\": 1, \"discount\": 0,"
                        + " \"ionet_fee\": 0.015, \"ionet_fee_percent\": 5, \"total_cost_usdc\": " + total + "}}")));
    }
}
