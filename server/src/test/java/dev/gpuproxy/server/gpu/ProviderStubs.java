package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
     * io.net's documented hardware list: RTX 4090 free in the US (0.318 $/h) and Norway (0.35 $/h), an 8-GPU H100 VM in
     * Canada (19.92 $/h) and a sold-out A100.
     *
     * @param delayMs how long the first call takes to answer (0: at once)
     */
    public void ionetOffers(int delayMs) {
        ionet.stubFor(get(urlPathEqualTo(VMAAS + "/hardware"))
                .willReturn(okJson(fixture("ionet-hardware.json")).withFixedDelay(delayMs)));
    }
}
