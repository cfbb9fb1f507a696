package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminUsersTest {

    @Test
    void firstAdminComesFromTheEnvironment() {
        Api.admin().asUser().get("/api/v1/user/me").then().statusCode(200)
                .body("email", equalTo(TestServices.ADMIN_EMAIL))
                .body("role", equalTo("admin"));
    }

    @Test
    void nonAdminsAreForbiddenFromEveryAdminEndpoint() {
        Api.Account user = Api.registerAndLogin("plain");
        user.asUser().get("/api/v1/admin/users").then().statusCode(403).body("code", equalTo("forbidden"));
        user.asUser().post("/api/v1/admin/users/" + user.id() + "/admin").then().statusCode(403);
        user.asUser().get("/api/v1/admin/users/" + user.id() + "/usage").then().statusCode(403);
        user.asUser().contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/admin/users/" + user.id() + "/apikeys").then().statusCode(403);
        given().get("/api/v1/admin/users").then().statusCode(401);
    }

    @Test
    void adminCreatesPromotesAndIssuesKeysForUsers() {
        Api.Account admin = Api.admin();
        String email = Api.uniqueEmail("managed");
        long id = admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", Api.PASSWORD, "name", "Managed"))
                .post("/api/v1/admin/users").then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("role", equalTo("user"))
                .extract().jsonPath().getLong("id");

        admin.asUser().queryParam("search", email).get("/api/v1/admin/users").then().statusCode(200)
                .body("total", equalTo(1))
                .body("data[0].email", equalTo(email));

        String key = admin.asUser().contentType(ContentType.JSON).body(Map.of("name", "issued-by-admin"))
                .post("/api/v1/admin/users/" + id + "/apikeys").then().statusCode(201)
                .extract().jsonPath().getString("api_key");
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200).body("email", equalTo(email));
        given().header("X-API-Key", key).get("/api/v1/admin/users").then().statusCode(403);

        admin.asUser().post("/api/v1/admin/users/" + id + "/admin").then().statusCode(200).body("role", equalTo("admin"));
        // The role change reaches the cached key within the change-poll interval.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).untilAsserted(() ->
                given().header("X-API-Key", key).get("/api/v1/admin/users").then().statusCode(200));

        admin.asUser().get("/api/v1/admin/users/" + id + "/apikeys").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].name", equalTo("issued-by-admin"));
        admin.asUser().get("/api/v1/admin/users/" + id + "/usage").then().statusCode(200)
                .body("user_id", equalTo((int) id)).body("requests", equalTo(0));
    }

    @Test
    void disablingAUserLocksOutTheirKeysAndLogins() {
        Api.Account admin = Api.admin();
        Api.Account user = Api.registerAndLogin("disabled");
        String key = Api.createApiKey(user, "k");
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);

        admin.asUser().contentType(ContentType.JSON).body(Map.of("active", false))
                .patch("/api/v1/admin/users/" + user.id()).then().statusCode(200).body("active", equalTo(false));

        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", user.email(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(401);
    }

    @Test
    void unknownUserIs404() {
        Api.admin().asUser().get("/api/v1/admin/users/987654321").then().statusCode(404);
    }

    @Test
    void listPagesThroughUsers() {
        Api.Account admin = Api.admin();
        Api.registerAndLogin("page-a");
        Api.registerAndLogin("page-b");
        admin.asUser().queryParam("limit", 1).get("/api/v1/admin/users").then().statusCode(200)
                .body("data", hasSize(1)).body("limit", equalTo(1)).body("total", greaterThanOrEqualTo(3))
                .body("data.role", hasItem(org.hamcrest.Matchers.anyOf(equalTo("user"), equalTo("admin"))));
        admin.asUser().queryParam("limit", 1000).get("/api/v1/admin/users").then().statusCode(400);
    }
}
