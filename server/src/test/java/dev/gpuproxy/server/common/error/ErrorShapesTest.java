package dev.gpuproxy.server.common.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Every error leaves as application/problem+json with type, title, status, detail and code. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class ErrorShapesTest {

    @Test
    void unknownPathIsProblem404() {
        given().get("/no/such/thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("code", equalTo("not_found"))
                .body("title", equalTo("Not Found"))
                .body("type", startsWith("https://"))
                .body("detail", containsString("/no/such/thing"));
    }

    @Test
    void wrongMethodIsProblem405() {
        given().delete("/health").then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("code", equalTo("method_not_allowed"))
                .body("detail", containsString("DELETE"));
    }

    @Test
    void wrongContentTypeIsProblem415() {
        given().contentType("text/plain").body("hello").post("/test-probe/orders").then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("code", equalTo("unsupported_media_type"))
                .body("detail", containsString("text/plain"));
    }

    @Test
    void trailingContentAfterTheJsonBodyIsProblem400() {
        for (String body : java.util.List.of("{\"name\": \"a\", \"count\": 1} garbage",
                "{\"name\": \"a\", \"count\": 1}{\"name\": \"b\", \"count\": 2}")) {
            given().contentType("application/json").body(body).post("/test-probe/orders").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("malformed_json"))
                    .body("detail", containsString("Malformed JSON at line 1"));
        }
    }

    @Test
    void malformedJsonIsProblem400WithPosition() {
        given().contentType("application/json").body("{\n  \"name\": \"a\",\n  \"count\": }").post("/test-probe/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("malformed_json"))
                .body("detail", allOf(containsString("line 3"), containsString("column")));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        given().contentType("application/json").body("{\"name\":\"a\",\"count\":\"many\"}").post("/test-probe/orders")
                .then()
                .statusCode(400)
                .body("code", equalTo("malformed_json"))
                .body("detail", containsString("count"));
    }

    @Test
    void validationFailureListsTheFields() {
        given().contentType("application/json").body("{\"name\":\"\",\"count\":17}").post("/test-probe/orders")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("errors.field", hasItem("count"))
                .body("errors.field", hasItem("name"));
    }

    @Test
    void oversizedBodyIsProblem413() {
        String big = "{\"name\":\"" + "x".repeat(300 * 1024) + "\",\"count\":1}";
        given().contentType("application/json").body(big).post("/test-probe/orders").then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("payload_too_large"))
                .body("detail", containsString("MAX_BODY_SIZE"));
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        given().get("/test-probe/crash").then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("code", equalTo("internal_error"))
                .body("detail", containsString("error id"))
                .body(not(containsString("hunter2")))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("at dev.gpuproxy")));
    }

    @Test
    void serviceErrorsKeepTheirCodeAndStatus() {
        given().get("/test-probe/conflict").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("email_taken"))
                .body("detail", equalTo("That email is already registered"));
    }
}
