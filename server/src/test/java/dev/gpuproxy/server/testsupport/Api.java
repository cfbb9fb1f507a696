package dev.gpuproxy.server.testsupport;

import static io.restassured.RestAssured.given;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Small helpers to drive the REST API as a client would: register, log in, make keys. */
public final class Api {

    public static final String PASSWORD = "correct-horse-battery";

    static {
        // A server bug must fail a test, not hang the build.
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 30_000)
                        .setParam("http.connection.timeout", 10_000));
    }

    private Api() {
    }

    public record Account(long id, String email, String accessToken, String refreshToken) {
        public RequestSpecification asUser() {
            return given().header("Authorization", "Bearer " + accessToken);
        }
    }

    public static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    public static Account registerAndLogin(String who) {
        String email = uniqueEmail(who);
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "name", who))
                .post("/api/v1/auth/register").then().statusCode(201)
                .extract().jsonPath().getLong("user.id");
        return login(id, email);
    }

    public static Account login(long id, String email) {
        var tokens = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200)
                .extract().jsonPath();
        return new Account(id, email, tokens.getString("tokens.access_token"), tokens.getString("tokens.refresh_token"));
    }

    /**
     * Logs in as the admin that ADMIN_EMAIL/ADMIN_PASSWORD created at start. Every test class of one profile shares
     * that admin, so its own rate limit is raised: set-up calls of many classes within a minute must not meet the
     * default 100 requests per minute (tests of the limit itself use users of their own).
     */
    public static Account admin() {
        var body = given().contentType(ContentType.JSON)
                .body(Map.of("email", TestServices.ADMIN_EMAIL, "password", TestServices.ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath();
        Account admin = new Account(body.getLong("user.id"), TestServices.ADMIN_EMAIL,
                body.getString("tokens.access_token"), body.getString("tokens.refresh_token"));
        admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 1_000_000))
                .patch("/api/v1/admin/users/" + admin.id()).then().statusCode(200);
        return admin;
    }

    /**
     * Creates a pool named {@code prefix} plus a random suffix, with {@code strategy}, and an OpenAI backend at each
     * of {@code urls}; returns its name, which is also the model to ask for.
     */
    public static String createPool(Account admin, String prefix, String strategy, String... urls) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name, "strategy", strategy))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (String url : urls) {
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "url", url, "kind", "openai"))
                    .post("/api/v1/admin/backends").then().statusCode(201);
        }
        return name;
    }

    /** The API key of a new tenant named after {@code who}, granted {@code wholeCredits} credits. */
    public static String fundedApiKey(CreditService credits, String who, long wholeCredits) {
        Account tenant = registerAndLogin(who);
        credits.add(tenant.id(), CreditService.Kind.GRANT, wholeCredits * Credits.MICROS_PER_CREDIT, "test",
                "t:" + UUID.randomUUID());
        return createApiKey(tenant, who);
    }

    public static String createApiKey(Account account, String name) {
        return account.asUser().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/v1/auth/apikey").then().statusCode(201)
                .extract().jsonPath().getString("api_key");
    }
}
