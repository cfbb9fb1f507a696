package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.IdentityProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bcrypt reads 72 bytes: longer passwords and key secrets are clear refusals, never a 500 from the library. */
@QuarkusTest
@TestProfile(IdentityProfile.class)
class LongSecretsTest {

    private static final String LONG_PASSWORD = "p".repeat(100);

    @Test
    void aPasswordOver72BytesIs400AtRegisterAnd401AtLogin() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("long"), "password", LONG_PASSWORD, "name", "long"))
                .post("/api/v1/auth/register").then().statusCode(400)
                .body("detail", containsString("at most 72 bytes"));
        // 72 bytes of multi-byte characters: 36 characters, already too long for bcrypt at 37.
        given().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("long"), "password", "é".repeat(37), "name", "long"))
                .post("/api/v1/auth/register").then().statusCode(400);

        Api.Account account = Api.registerAndLogin("long-login");
        for (String email : new String[] {account.email(), Api.uniqueEmail("nobody")}) {
            given().contentType(ContentType.JSON).body(Map.of("email", email, "password", LONG_PASSWORD))
                    .post("/api/v1/auth/login").then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("code", equalTo("unauthorized"));
        }
    }

    @Test
    void anApiKeyWithALongSecretIs401() {
        String realKey = Api.createApiKey(Api.registerAndLogin("long-key"), "k");
        String prefix = realKey.substring(0, realKey.lastIndexOf('_') + 1);
        for (String presented : new String[] {prefix + "a".repeat(100), prefix + "b".repeat(73),
                "gpx_" + "c".repeat(12) + "_" + "d".repeat(5000)}) {
            given().header("X-API-Key", presented).get("/api/v1/user/me").then().statusCode(401);
            given().header("Authorization", "Bearer " + presented).get("/v1/models").then().statusCode(401);
        }
    }
}
