package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.gpuproxy.server.identity.auth.repository.ApiKeyRepository;
import dev.gpuproxy.server.identity.auth.service.ApiKeyUsageRecorder;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;
import org.mockito.Mockito;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class ApiKeyTest {

    @Inject
    @DataSource("postgres")
    AgroalDataSource database;

    @Inject
    ApiKeyUsageRecorder lastUse;

    @Inject
    ApiKeyRepository repository;

    @Test
    void keyIsShownOnceAndAuthenticatesThroughBothHeaders() {
        Api.Account owner = Api.registerAndLogin("keys");
        var created = owner.asUser().contentType(ContentType.JSON).body(Map.of("name", "laptop"))
                .post("/api/v1/auth/apikey").then().statusCode(201)
                .body("api_key", matchesPattern("gpx_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}"))
                .extract().jsonPath();
        String key = created.getString("api_key");
        assertThat(key).startsWith("gpx_" + created.getString("prefix") + "_");

        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200)
                .body("id", equalTo((int) owner.id()));
        given().header("Authorization", "Bearer " + key).get("/api/v1/user/me").then().statusCode(200);

        owner.asUser().get("/api/v1/auth/apikeys").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].name", equalTo("laptop"))
                .body("data[0].api_key", nullValue());
    }

    /** The last use is kept in memory and written by the flush; a use after a written one is written by a later flush. */
    @Test
    void lastUseIsWrittenByTheFlushAndALaterUseByALaterFlush() throws Exception {
        Api.Account owner = Api.registerAndLogin("last-use");
        String key = Api.createApiKey(owner, "k");
        assertThat(listedLastUse(owner)).isNull();

        Instant before = Instant.now();
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);
        lastUse.flush();
        Instant first = listedLastUse(owner);
        assertThat(first).isBetween(before.minusSeconds(1), Instant.now());

        lastUse.flush(); // nothing new to write
        Thread.sleep(1_100);
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);
        lastUse.flush();
        assertThat(listedLastUse(owner)).isAfter(first);
    }

    /** A batch whose write fails is not lost: the next flush writes it. */
    @Test
    void aLastUseWhoseWriteFailedIsWrittenByTheNextFlush() {
        Api.Account owner = Api.registerAndLogin("last-use-retry");
        String key = Api.createApiKey(owner, "k");
        ApiKeyRepository real = ClientProxy.unwrap(repository);
        ApiKeyRepository failing = Mockito.mock(ApiKeyRepository.class, Mockito.withSettings()
                .defaultAnswer(AdditionalAnswers.delegatesTo(real)));
        Mockito.doThrow(new IllegalStateException("database down")).when(failing).recordLastUse(Mockito.anyMap());
        QuarkusMock.installMockForType(failing, ApiKeyRepository.class);

        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);
        assertThatThrownBy(lastUse::flush).hasMessageContaining("database down");
        assertThat(listedLastUse(owner)).isNull();

        QuarkusMock.installMockForType(real, ApiKeyRepository.class);
        lastUse.flush();
        assertThat(listedLastUse(owner)).isNotNull();
    }

    private static Instant listedLastUse(Api.Account owner) {
        String at = owner.asUser().get("/api/v1/auth/apikeys").then().statusCode(200)
                .extract().jsonPath().getString("data[0].last_used_at");
        return at == null ? null : Instant.parse(at);
    }

    @Test
    void secretIsStoredAsBcryptHashOnly() throws Exception {
        Api.Account owner = Api.registerAndLogin("hash");
        String key = Api.createApiKey(owner, "k");
        String secret = key.substring(key.lastIndexOf('_') + 1);
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select secret_hash from api_keys where user_id = ?")) {
            s.setLong(1, owner.id());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("$2").doesNotContain(secret);
            }
        }
    }

    @Test
    void revokedKeyIsRefusedAtOnce() {
        Api.Account owner = Api.registerAndLogin("revoke");
        String key = Api.createApiKey(owner, "k");
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);
        long id = owner.asUser().get("/api/v1/auth/apikeys").then().extract().jsonPath().getLong("data[0].id");

        owner.asUser().delete("/api/v1/auth/apikeys/" + id).then().statusCode(204);

        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(401)
                .body("code", equalTo("unauthorized"));
        owner.asUser().get("/api/v1/auth/apikeys").then().body("data[0].revoked_at", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void revocationByAnotherReplicaTakesEffectWithinASecondOrTwo() throws Exception {
        Api.Account owner = Api.registerAndLogin("replica");
        String key = Api.createApiKey(owner, "k");
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);

        // Another replica revokes: only the shared database changes, this replica's cache still holds the key.
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("update api_keys set revoked_at = ? where user_id = ?")) {
            s.setObject(1, java.time.OffsetDateTime.now());
            s.setLong(2, owner.id());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        long deadline = System.currentTimeMillis() + 3_000;
        int status = 200;
        while (status == 200 && System.currentTimeMillis() < deadline) {
            status = given().header("X-API-Key", key).get("/api/v1/user/me").statusCode();
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(401);
    }

    @Test
    void expiredKeyIsRefused() throws Exception {
        Api.Account owner = Api.registerAndLogin("expiry");
        String key = owner.asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "short", "expires_at", Instant.now().plusSeconds(2).toString()))
                .post("/api/v1/auth/apikey").then().statusCode(201).extract().jsonPath().getString("api_key");
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(200);
        Thread.sleep(2_200);
        given().header("X-API-Key", key).get("/api/v1/user/me").then().statusCode(401);

        owner.asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "past", "expires_at", Instant.now().minusSeconds(60).toString()))
                .post("/api/v1/auth/apikey").then().statusCode(400);
    }

    @Test
    void malformedAndUnknownKeysAreRefused() {
        given().header("X-API-Key", "gpx_nope").get("/api/v1/user/me").then().statusCode(401);
        given().header("X-API-Key", "gpx_AAAAAAAAAAAA_" + "B".repeat(32)).get("/api/v1/user/me").then().statusCode(401);
    }

    @Test
    void anotherTenantsKeyCannotBeSeenOrRevoked() {
        Api.Account alice = Api.registerAndLogin("alice");
        Api.Account bob = Api.registerAndLogin("bob");
        String aliceKey = Api.createApiKey(alice, "alice-key");
        long aliceKeyId = alice.asUser().get("/api/v1/auth/apikeys").then().extract().jsonPath().getLong("data[0].id");

        bob.asUser().get("/api/v1/auth/apikeys").then().statusCode(200).body("data", hasSize(0));
        bob.asUser().delete("/api/v1/auth/apikeys/" + aliceKeyId).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("X-API-Key", aliceKey).get("/api/v1/user/me").then().statusCode(200)
                .body("id", equalTo((int) alice.id()));
    }

    @Test
    void exportContainsOwnDataWithoutSecrets() {
        Api.Account owner = Api.registerAndLogin("export");
        Api.createApiKey(owner, "k");
        owner.asUser().get("/api/v1/user/export").then().statusCode(200)
                .body("user.email", equalTo(owner.email()))
                .body("api_keys", hasSize(1))
                .body("api_keys[0].api_key", nullValue())
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("secret_hash")));
    }

    /** The export reads keys by table (identity's account part sits below auth) yet shows them as the listing does. */
    @Test
    void exportShowsKeysExactlyAsTheKeyListing() {
        Api.Account owner = Api.registerAndLogin("export-keys");
        Api.createApiKey(owner, "plain");
        owner.asUser().contentType(ContentType.JSON)
                .body(Map.of("name", "expiring", "expires_at", Instant.now().plusSeconds(3600).toString()))
                .post("/api/v1/auth/apikey").then().statusCode(201);
        long plainId = owner.asUser().get("/api/v1/auth/apikeys").then().extract().jsonPath().getLong("data[0].id");
        owner.asUser().delete("/api/v1/auth/apikeys/" + plainId).then().statusCode(204);

        Object listed = owner.asUser().get("/api/v1/auth/apikeys").then().statusCode(200)
                .extract().jsonPath().getList("data");
        Object exported = owner.asUser().get("/api/v1/user/export").then().statusCode(200)
                .extract().jsonPath().getList("api_keys");

        assertThat(exported).isEqualTo(listed);
        assertThat(owner.asUser().get("/api/v1/user/export").then().extract().jsonPath().getMap("api_keys[0]"))
                .containsKeys("id", "name", "prefix", "created_at", "revoked_at")
                .doesNotContainKeys("api_key", "last_used_at");
    }
}
