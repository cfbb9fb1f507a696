package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.gpuproxy.server.testsupport.Api;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The register / login / refresh / logout cycle; each subclass runs it in one session mode. */
abstract class AuthFlowContract {

    @Test
    void fullSessionCycleRotatesRefreshTokensAndEndsOnLogout() {
        Api.Account account = Api.registerAndLogin("cycle");

        account.asUser().get("/api/v1/user/me").then().statusCode(200)
                .body("email", equalTo(account.email()))
                .body("role", equalTo("user"))
                .body("password_hash", nullValue());

        var refreshed = given().contentType(ContentType.JSON)
                .body(Map.of("refresh_token", account.refreshToken()))
                .post("/api/v1/auth/refresh").then().statusCode(200)
                .body("tokens.access_token", notNullValue())
                .body("tokens.expires_at", notNullValue())
                .extract().jsonPath();
        String newRefresh = refreshed.getString("tokens.refresh_token");
        String newAccess = refreshed.getString("tokens.access_token");
        assertThat(newRefresh).isNotEqualTo(account.refreshToken());

        given().header("Authorization", "Bearer " + newAccess).get("/api/v1/user/me").then().statusCode(200);

        given().header("Authorization", "Bearer " + newAccess).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/auth/logout").then().statusCode(204);

        given().contentType(ContentType.JSON).body(Map.of("refresh_token", newRefresh))
                .post("/api/v1/auth/refresh").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer " + newAccess).get("/api/v1/user/me").then().statusCode(401);
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheSession() {
        Api.Account account = Api.registerAndLogin("reuse");
        String second = given().contentType(ContentType.JSON).body(Map.of("refresh_token", account.refreshToken()))
                .post("/api/v1/auth/refresh").then().statusCode(200)
                .extract().jsonPath().getString("tokens.refresh_token");

        given().contentType(ContentType.JSON).body(Map.of("refresh_token", account.refreshToken()))
                .post("/api/v1/auth/refresh").then().statusCode(401)
                .body("detail", containsString("already used"));

        // The thief's replay ended the session: the legitimate holder's newer token is dead too.
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", second))
                .post("/api/v1/auth/refresh").then().statusCode(401);
        account.asUser().get("/api/v1/user/me").then().statusCode(401);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        Api.Account account = Api.registerAndLogin("enum");
        String wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("email", account.email(), "password", "not-the-password"))
                .post("/api/v1/auth/login").then().statusCode(401).extract().jsonPath().getString("detail");
        String unknownEmail = given().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("nobody"), "password", "not-the-password"))
                .post("/api/v1/auth/login").then().statusCode(401).extract().jsonPath().getString("detail");
        assertThat(wrongPassword).isEqualTo(unknownEmail).isEqualTo("Email or password is incorrect");
    }

    @Test
    void emailsAreNormalisedAndUnique() {
        String email = Api.uniqueEmail("dup");
        given().contentType(ContentType.JSON).body(Map.of("email", "  " + email.toUpperCase() + " ",
                        "password", Api.PASSWORD, "name", "Dup"))
                .post("/api/v1/auth/register").then().statusCode(201).body("user.email", equalTo(email));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD, "name", "Dup"))
                .post("/api/v1/auth/register").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("email_taken"));
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200);
    }

    @Test
    void shortPasswordsAndBadEmailsAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("short"), "password", "short",
                        "name", "S"))
                .post("/api/v1/auth/register").then().statusCode(400).body("detail", containsString("password"));
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-email", "password", Api.PASSWORD,
                        "name", "S"))
                .post("/api/v1/auth/register").then().statusCode(400).body("detail", containsString("email"));
    }

    @Test
    void missingCredentialsGet401WithChallenge() {
        given().get("/api/v1/user/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer garbage").get("/api/v1/user/me").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }
}
