package dev.gpuproxy.server.common.number;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gpuproxy.server.billing.BillingPostgresProfile;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack: a decimal of a few bytes whose exponent makes BigDecimal arithmetic run for minutes ({@code 1e300000000})
 * or overflow ({@code 1E+2147483647}). Every route that takes a decimal from outside answers 400 at once.
 */
@QuarkusTest
@TestProfile(BillingPostgresProfile.class)
class DecimalInputBoundsTest {

    /** Far longer than a bounded check takes, far shorter than the unbounded arithmetic. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static Response promptly(Supplier<Response> call) {
        return assertTimeoutPreemptively(PROMPTLY, call::get);
    }

    private static void assertOutOfRange(Response response, String field) {
        response.then().statusCode(400).contentType("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo("number_out_of_range");
        assertThat(response.jsonPath().getString("detail")).startsWith(field + " must have at most 30 digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300000000", "1E+2147483647", "1e-300000000", "-1e300000000"})
    void paymentAmount(String amount) {
        Api.Account buyer = Api.registerAndLogin("hugepay");
        Response response = promptly(() -> buyer.asUser().contentType(ContentType.JSON)
                .body("{\"amount\": " + amount + ", \"provider\": \"afterdark\"}").post("/api/v1/billing/payment"));
        assertOutOfRange(response, "amount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300000000", "1E+2147483647", "\"1e300000000\""})
    void reserveMaxPriceFilter(String maxPrice) {
        Api.Account tenant = Api.registerAndLogin("hugereserve");
        Response response = promptly(() -> tenant.asUser().contentType(ContentType.JSON)
                .body("{\"count\": 1, \"image\": \"vllm/vllm-openai\", \"filters\": {\"max_price\": " + maxPrice + "}}")
                .post("/api/v1/gpu/instances/reserve"));
        assertOutOfRange(response, "filters.max_price");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300000000", "1E+2147483647", "1e-300000000"})
    void offerListMaxPriceQueryParameter(String maxPrice) {
        Api.Account tenant = Api.registerAndLogin("hugeoffers");
        Response response = promptly(() -> tenant.asUser().queryParam("max_price", maxPrice)
                .get("/api/v1/gpu/instances"));
        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("parameter")).isEqualTo("max_price");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300000000", "1E+2147483647"})
    void adminCreditGrant(String amount) {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("hugegrant");
        Response response = promptly(() -> admin.asUser().contentType(ContentType.JSON)
                .body("{\"amount\": " + amount + ", \"kind\": \"grant\", \"reason\": \"attack\"}")
                .post("/api/v1/admin/users/" + tenant.id() + "/credits"));
        assertOutOfRange(response, "amount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300000000", "1E+2147483647"})
    void adminBackendPricePerHour(String price) {
        Api.Account admin = Api.admin();
        Response response = promptly(() -> admin.asUser().contentType(ContentType.JSON)
                .body("{\"pool\": \"decimals\", \"kind\": \"openai\", \"url\": \"http://127.0.0.1:9/v1\","
                        + " \"price_per_hour\": " + price + "}")
                .post("/api/v1/admin/backends"));
        assertOutOfRange(response, "price_per_hour");
    }

    @ParameterizedTest
    @ValueSource(strings = {"credits_cap", "auto_renew_amount", "auto_renew_threshold"})
    void adminWalletSettings(String field) {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("hugecap");
        Response response = promptly(() -> admin.asUser().contentType(ContentType.JSON)
                .body("{\"" + field + "\": 1e300000000}")
                .put("/api/v1/admin/users/" + tenant.id() + "/credits/settings"));
        assertOutOfRange(response, field);
    }
}
