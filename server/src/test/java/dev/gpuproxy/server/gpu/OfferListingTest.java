package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;

import dev.gpuproxy.server.gpu.service.OfferService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/gpu/instances: offers of vast.ai, io.net and the static servers, side by side. */
@QuarkusTest
@TestProfile(GpuPostgresProfile.class)
@TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
class OfferListingTest {

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    OfferService offers;

    @BeforeEach
    void freshProviders() {
        stubs.reset();
        offers.invalidate();
    }

    private JsonPath list(String query) {
        return given().get("/api/v1/gpu/instances" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void offersOfAllProvidersAreListedCheapestFirstWithExactPrices() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        String body = given().get("/api/v1/gpu/instances").then().statusCode(200)
                .body("errors", empty())
                .body("total", equalTo(7))
                .body("count", equalTo(7))
                .body("offers.id", contains("hw-12-loc-US-g1", "hw-12-loc-NO-g1", "l4-osl-1", "18456233",
                        "a100-fra-1", "9912001", "hw-H100_sxm5x8-loc-CA-g8"))
                .extract().asString();

        JsonPath json = JsonPath.from(body);
        json.setRootPath("offers.find { it.id == '18456233' }");
        assertThatOffer(json);
        // Prices keep their decimal text: no binary floating point on the way.
        assertThat(body)
                .contains("\"price_per_hour\":0.6347222222222222")
                .contains("\"price_per_hour\":1.10")
                .contains("\"price_per_hour\":0.318");
    }

    private static void assertThatOffer(JsonPath vast) {
        assertThat(vast.getString("provider")).isEqualTo("vastai");
        assertThat(vast.getString("gpu_name")).isEqualTo("RTX 4090");
        assertThat(vast.getInt("gpu_count")).isEqualTo(2);
        assertThat(vast.getDouble("vram_gb")).isEqualTo(24.564);
        assertThat(vast.getDouble("cpu_cores")).isEqualTo(32.0);
        assertThat(vast.getDouble("ram_gb")).isEqualTo(257.612);
        assertThat(vast.getDouble("storage_gb")).isEqualTo(412.7);
        assertThat(vast.getString("location")).isEqualTo("Oslo, NO");
        assertThat(vast.getDouble("reliability")).isEqualTo(0.9961);
        assertThat(vast.getDouble("dlperf")).isEqualTo(91.54);
        assertThat(vast.getDouble("dlperf_per_dollar")).isEqualTo(144.22);
        assertThat(vast.getBoolean("available")).isTrue();
    }

    @Test
    void oneProviderFailingIsReportedWhileTheOthersAreListed() {
        stubs.vastDown();
        stubs.ionetOffers(0);

        given().get("/api/v1/gpu/instances").then().statusCode(200)
                .body("offers.provider", everyItem(oneOf("ionet", "static")))
                .body("total", equalTo(5))
                .body("errors", hasSize(1))
                .body("errors[0].provider", equalTo("vastai"))
                .body("errors[0].message", containsString("HTTP 500"))
                .body("errors[0].message", containsString("Internal error, try again"));

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'gpu-providers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'gpu-providers' }.data.vastai", startsWith("failing: vastai"))
                .body("checks.find { it.name == 'gpu-providers' }.data.ionet", equalTo("ok"));
    }

    @Test
    void aProviderTooSlowToAnswerIsReportedAfterItsTimeout() {
        stubs.vastOffers();
        stubs.ionetOffers(4000);

        long started = System.nanoTime();
        given().get("/api/v1/gpu/instances").then().statusCode(200)
                .body("offers.provider", everyItem(oneOf("vastai", "static")))
                .body("errors[0].provider", equalTo("ionet"))
                .body("errors[0].message", equalTo("ionet: no offers within 1500 ms"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);

        given().get("/api/v1/gpu/providers").then().statusCode(200)
                .body("providers.id", contains("ionet", "static", "vastai"))
                .body("providers.find { it.id == 'ionet' }.status", equalTo("failing"))
                .body("providers.find { it.id == 'ionet' }.capabilities", contains("extend"))
                .body("providers.find { it.id == 'vastai' }.status", equalTo("ok"));
    }

    @Test
    void filtersApplyToEveryProviderServerSide() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        assertThat(list("?min_vram=40").getList("offers.id"))
                .containsExactly("a100-fra-1", "9912001", "hw-H100_sxm5x8-loc-CA-g8");
        assertThat(list("?gpu_model=rtx_4090").getList("offers.id"))
                .containsExactly("hw-12-loc-US-g1", "hw-12-loc-NO-g1", "18456233");
        assertThat(list("?gpu_model=a100").getList("offers.gpu_name"))
                .containsExactly("A100", "A100 SXM4");
        assertThat(list("?max_price=0.35").getList("offers.id"))
                .containsExactly("hw-12-loc-US-g1", "hw-12-loc-NO-g1", "l4-osl-1");
        assertThat(list("?location=NO").getList("offers.location"))
                .containsExactly("NO", "Oslo, NO", "Oslo, NO");
        assertThat(list("?min_reliability=0.99").getList("offers.id"))
                .containsExactly("l4-osl-1", "18456233", "a100-fra-1");
        assertThat(list("?provider=vastai&max_price=1").getList("offers.id"))
                .containsExactly("18456233");
    }

    @Test
    void offersSortByMemoryOrValueAndPage() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        assertThat(list("?sort=vram").getList("offers.id"))
                .containsExactly("9912001", "hw-H100_sxm5x8-loc-CA-g8", "a100-fra-1", "18456233", "l4-osl-1",
                        "hw-12-loc-US-g1", "hw-12-loc-NO-g1");
        assertThat(list("?sort=dlperf_per_dollar&limit=2").getList("offers.id"))
                .containsExactly("18456233", "9912001");
        JsonPath page = list("?limit=2&offset=2");
        assertThat(page.getList("offers.id")).containsExactly("l4-osl-1", "18456233");
        assertThat(page.getInt("count")).isEqualTo(2);
        assertThat(page.getInt("total")).isEqualTo(7);
    }

    @Test
    void badFilterValuesAreRejectedNamingTheParameter() {
        given().get("/api/v1/gpu/instances?min_vram=lots").then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_parameter"))
                .body("parameter", equalTo("min_vram"))
                .body("detail", startsWith("min_vram must be"));
        given().get("/api/v1/gpu/instances?sort=cheapest").then().statusCode(400)
                .body("parameter", equalTo("sort"))
                .body("detail", containsString("price, vram, dlperf_per_dollar"));
        given().get("/api/v1/gpu/instances?max_price=free").then().statusCode(400).body("parameter", equalTo("max_price"));
        given().get("/api/v1/gpu/instances?min_reliability=2").then().statusCode(400)
                .body("parameter", equalTo("min_reliability"));
        given().get("/api/v1/gpu/instances?limit=100000").then().statusCode(400).body("parameter", equalTo("limit"));
        given().get("/api/v1/gpu/instances?offset=x").then().statusCode(400).body("parameter", equalTo("offset"));
        given().get("/api/v1/gpu/instances?provider=lambda").then().statusCode(400)
                .body("parameter", equalTo("provider"))
                .body("detail", containsString("ionet, static, vastai"));
        stubs.vast().verify(0, postRequestedFor(urlEqualTo("/api/v0/bundles/")));
    }

    @Test
    void repeatedListingsWithinTheCacheLifetimeAskEachProviderOnce() {
        stubs.vastOffers();
        stubs.ionetOffers(0);

        list("");
        list("?sort=vram&limit=10");
        list("?max_price=0.7");

        // Sorting and paging reuse the answer; a different provider filter is a new question.
        stubs.vast().verify(2, postRequestedFor(urlEqualTo("/api/v0/bundles/")));
        stubs.ionet().verify(2, getRequestedFor(urlPathEqualTo(ProviderStubs.VMAAS + "/hardware")));
    }

    @Test
    @TestSecurity
    void listingNeedsAnAuthenticatedUser() {
        given().get("/api/v1/gpu/instances").then().statusCode(401);
        stubs.vast().verify(0, postRequestedFor(urlEqualTo("/api/v0/bundles/")));
    }
}
