package dev.gpuproxy.server.gpu;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import dev.gpuproxy.server.gpu.service.InstanceRecords;
import dev.gpuproxy.server.gpu.service.ProviderRegistry;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renting and releasing the operator's own servers, and tenants' isolation, on each database (subclasses pick it).
 * Needs no marketplace account: the SQLite profile has none.
 */
abstract class GpuInstancesContract {

    private static final long A = Long.parseLong(GpuTestData.TENANT_A);
    private static final String STATIC = "/api/v1/gpu/instances/static/";

    @Inject
    GpuTestData data;

    @Inject
    GpuInstanceService instances;

    @Inject
    InstanceRecords records;

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void noInstancesYet() {
        data.reset();
    }

    private static ValidatableResponse staticOffers() {
        return given().get("/api/v1/gpu/instances?provider=static").then().statusCode(200);
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void rentingAStaticServerAssignsItRunningAtItsUrl() {
        String location = given().post(STATIC + "a100-fra-1").then()
                .statusCode(201)
                .header("Location", startsWith("http"))
                .body("id", notNullValue())
                .body("provider", equalTo("static"))
                .body("provider_instance_id", startsWith("a100-fra-1@"))
                .body("offer_id", equalTo("a100-fra-1"))
                .body("gpu_model", equalTo("A100"))
                .body("gpu_count", equalTo(1))
                .body("vram_gb", equalTo(80))
                .body("state", equalTo("running"))
                .body("price_per_hour", equalTo(1.1f))
                .body("endpoint", equalTo("http://10.0.0.5:8000/v1"))
                .body("created_at", notNullValue())
                .body("ended_at", nullValue())
                .extract().header("Location");

        assertThat(location).contains(STATIC + "a100-fra-1@");
        given().get(location).then().statusCode(200).body("state", equalTo("running"))
                .body("endpoint", equalTo("http://10.0.0.5:8000/v1"));
        given().get("/api/v1/gpu/instances/mine").then().statusCode(200)
                .body("count", equalTo(1))
                .body("instances[0].offer_id", equalTo("a100-fra-1"));
        staticOffers().body("offers.id", contains("l4-osl-1"));
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void batchRentsEachOfferIndependentlyAndReportsEachOutcome() {
        staticOffers().body("offers.id", hasSize(2));
        given().contentType("application/json")
                .body("{\"requests\":[{\"provider\":\"static\",\"offer_id\":\"a100-fra-1\"},"
                        + "{\"provider\":\"static\",\"offer_id\":\"l4-osl-1\",\"launch\":{\"label\":\"b\"}},"
                        + "{\"provider\":\"static\",\"offer_id\":\"a100-fra-1\"}]}")
                .post("/api/v1/gpu/instances/batch").then()
                .statusCode(207)
                .body("succeeded", equalTo(2))
                .body("failed", equalTo(1))
                .body("results[0].status", equalTo(201))
                .body("results[0].instance.state", equalTo("running"))
                .body("results[1].instance.offer_id", equalTo("l4-osl-1"))
                .body("results[2].status", equalTo(409))
                .body("results[2].detail", notNullValue());
        given().get("/api/v1/gpu/instances/mine").then().body("count", equalTo(2));
        given().contentType("application/json").body("{\"requests\":[]}")
                .post("/api/v1/gpu/instances/batch").then().statusCode(400);
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void releasingAStaticServerEndsTheInstanceAndOffersTheServerAgain() {
        String id = given().contentType("application/json").body("{\"label\": \"bench\"}")
                .post(STATIC + "l4-osl-1").then().statusCode(201).extract().path("provider_instance_id");

        given().delete(STATIC + id).then().statusCode(200)
                .body("state", equalTo("terminated"))
                .body("ended_at", notNullValue());
        // Releasing again answers the final state instead of failing.
        given().delete(STATIC + id).then().statusCode(200).body("state", equalTo("terminated"));

        given().get("/api/v1/gpu/instances/mine").then().statusCode(200).body("instances", empty());
        given().get("/api/v1/gpu/instances/mine?include_ended=true").then().statusCode(200)
                .body("instances", hasSize(1))
                .body("instances[0].state", equalTo("terminated"));
        staticOffers().body("offers.id", contains("l4-osl-1", "a100-fra-1"));
        given().post(STATIC + "l4-osl-1").then().statusCode(201).body("state", equalTo("running"));
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_B, roles = "user")
    void anotherTenantCanNeitherSeeNorReleaseAnInstance() {
        GpuInstance owned = instances.rent(A, "static", "a100-fra-1", LaunchSpec.builder(null).build());

        given().get("/api/v1/gpu/instances/mine?include_ended=true").then().statusCode(200).body("count", equalTo(0));
        given().get(STATIC + owned.providerInstanceId()).then().statusCode(404)
                .body("code", equalTo("not_found"));
        given().delete(STATIC + owned.providerInstanceId()).then().statusCode(404)
                .body("code", equalTo("not_found"));

        assertThat(instances.get(A, "static", owned.providerInstanceId()).state()).isEqualTo("running");
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_B, roles = "user")
    void aServerRentedByOneTenantCannotBeRentedByAnother() {
        instances.rent(A, "static", "a100-fra-1", LaunchSpec.builder(null).build());

        given().post(STATIC + "a100-fra-1").then().statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("offer_unavailable"));
        given().get("/api/v1/gpu/instances/mine").then().body("count", equalTo(0));
    }

    @Test
    void theDatabaseRefusesASecondLiveAssignmentOfOneServer() {
        Offer server = registry.require("static").listOffers(OfferQuery.any()).stream()
                .filter(offer -> offer.id().equals("l4-osl-1")).findFirst().orElseThrow();
        records.open(A, "static", server, LaunchSpec.builder(null).build());

        // As two replicas racing for the same server would: both saw it free.
        assertThatThrownBy(() -> records.open(A + 1, "static", server, LaunchSpec.builder(null).build()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("offer_unavailable");
                });
        assertThat(data.countInstances()).isEqualTo(1);
    }

    @Test
    @TestSecurity(user = GpuTestData.TENANT_A, roles = "user")
    void unknownProvidersOffersAndInstancesAreClearProblems() {
        given().post("/api/v1/gpu/instances/lambda/x1").then().statusCode(404)
                .body("detail", startsWith("No GPU provider 'lambda' is enabled"));
        given().post(STATIC + "h100-nowhere").then().statusCode(409).body("code", equalTo("offer_unavailable"));
        given().delete(STATIC + "a100-fra-1@00000000").then().statusCode(404);
        given().contentType("application/json").body("{\"ports\": [70000], \"disk_gb\": 0}")
                .post(STATIC + "a100-fra-1").then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        given().get("/api/v1/gpu/instances/mine?include_ended=maybe").then().statusCode(400)
                .body("parameter", equalTo("include_ended"));
        assertThat(data.countInstances()).isZero();
    }

    @Test
    @TestSecurity
    void instancesNeedAnAuthenticatedUser() {
        given().get("/api/v1/gpu/instances/mine").then().statusCode(401);
        given().post(STATIC + "a100-fra-1").then().statusCode(401);
        assertThat(data.countInstances()).isZero();
    }
}
