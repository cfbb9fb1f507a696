package dev.gpuproxy.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.IdentityProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An open /ws connection ends within seconds, with 4401, once its credential would no longer open one. */
@QuarkusTest
@TestProfile(IdentityProfile.class)
class SocketClosesWhenCredentialEndsTest {

    /** WS_AUTH_RECHECK is 1 s here; the bound leaves room for a slow build machine. */
    private static final long WITHIN_SECONDS = 10;

    @Inject
    UserService users;

    static final class Closes implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    private static Closes connect(String credential) {
        Closes listener = new Closes();
        HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + credential)
                .buildAsync(URI.create("ws://127.0.0.1:" + RestAssured.port + "/ws"), listener).join();
        return listener;
    }

    private static void assertStaysOpen(Closes connection) throws Exception {
        Thread.sleep(2_500); // more than two recheck rounds
        assertThat(connection.closed).isNotDone();
    }

    @Test
    void logoutClosesTheConnectionsOfThatSession() throws Exception {
        Api.Account user = Api.registerAndLogin("ws-logout");
        Api.Account otherSession = Api.login(user.id(), user.email());
        Closes loggedOut = connect(user.accessToken());
        Closes stays = connect(otherSession.accessToken());
        assertStaysOpen(loggedOut);

        user.asUser().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/auth/logout").then().statusCode(204);

        assertThat(loggedOut.closed.get(WITHIN_SECONDS, TimeUnit.SECONDS)).startsWith("4401 ").contains("session");
        assertThat(stays.closed).isNotDone();
    }

    @Test
    void revokingAnApiKeyClosesItsConnections() throws Exception {
        Api.Account user = Api.registerAndLogin("ws-revoke");
        String key = Api.createApiKey(user, "ws");
        long keyId = user.asUser().get("/api/v1/auth/apikeys").then().statusCode(200)
                .extract().jsonPath().getLong("data[0].id");
        Closes connection = connect(key);
        assertStaysOpen(connection);

        user.asUser().delete("/api/v1/auth/apikeys/" + keyId).then().statusCode(204);

        assertThat(connection.closed.get(WITHIN_SECONDS, TimeUnit.SECONDS)).startsWith("4401 ").contains("API key");
    }

    @Test
    void disablingTheAccountClosesEveryConnectionOfIt() throws Exception {
        Api.Account user = Api.registerAndLogin("ws-disable");
        Closes byToken = connect(user.accessToken());
        Closes byKey = connect(Api.createApiKey(user, "ws"));

        users.update(user.id(), null, false, null, null);

        assertThat(byToken.closed.get(WITHIN_SECONDS, TimeUnit.SECONDS)).startsWith("4401 ").contains("disabled");
        assertThat(byKey.closed.get(WITHIN_SECONDS, TimeUnit.SECONDS)).startsWith("4401 ").contains("disabled");
    }
}
