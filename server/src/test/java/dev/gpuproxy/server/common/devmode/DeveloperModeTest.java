package dev.gpuproxy.server.common.devmode;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Developer mode puts stack traces in 500 answers; debug mode logs each exchange, masked, with its duration. */
@QuarkusTest
@TestProfile(DeveloperModeProfile.class)
class DeveloperModeTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(RequestLog.class.getName()).addHandler(capture);
        Logger.getLogger(BodyLog.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(RequestLog.class.getName()).removeHandler(capture);
        Logger.getLogger(BodyLog.class.getName()).removeHandler(capture);
    }

    @Test
    void unexpectedFailureCarriesItsStackTraceInDeveloperMode() {
        Response response = given().get("/test-probe/crash");

        response.then().statusCode(500).contentType("application/problem+json");
        assertThat(response.jsonPath().getString("code")).isEqualTo("internal_error");
        List<String> trace = response.jsonPath().getList("stack_trace");
        assertThat(trace.get(0)).startsWith("java.lang.IllegalStateException");
        assertThat(trace).anyMatch(line -> line.contains("at dev.gpuproxy.server.common.error.ErrorProbeResource.crash"));
    }

    @Test
    void everyExchangeIsLoggedWithSecretsMaskedAndItsDuration() {
        given().header("Authorization", "Bearer gpx_abcd1234_topsecretvalue")
                .header("X-API-Key", "gpx_abcd1234_othersecret")
                .contentType("application/json")
                .body("{\"name\":\"gpus\",\"count\":2,\"password\":\"hunter2-hunter2\",\"card\":\"4242424242424242\"}")
                .post("/test-probe/orders").then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> lines.stream().anyMatch(l -> l.startsWith("<-- #") && l.contains("/test-probe/orders")));
        String log = String.join("\n", lines);
        assertThat(log).containsPattern("--> #\\d+ POST /test-probe/orders from .* headers=\\{.*Authorization: \\*\\*\\*")
                .contains("X-API-Key: ***")
                .containsPattern("--> #\\d+ body \\{\"name\":\"gpus\",\"count\":2,\"password\":\"\\*\\*\\*\",\"card\":\"\\*\\*\\*\"}")
                .containsPattern("<-- #\\d+ 200 POST /test-probe/orders \\d+\\.\\d ms")
                .containsPattern("<-- #\\d+ body \\{\"name\":\"gpus\",\"count\":2}");
        assertThat(log).doesNotContain("topsecretvalue", "othersecret", "hunter2", "4242424242424242");
    }
}
