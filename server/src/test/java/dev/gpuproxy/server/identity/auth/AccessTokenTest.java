package dev.gpuproxy.server.identity.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.SqliteProfile;
import dev.gpuproxy.server.testsupport.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Access tokens that are not exactly what the server issued are refused. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class AccessTokenTest {

    private static final SecretKeySpec SERVER_KEY =
            new SecretKeySpec(TestServices.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    @Test
    void expiredTokenIsRefused() {
        Api.Account account = Api.registerAndLogin("expired");
        String token = Jwt.issuer("gpuproxy").subject(String.valueOf(account.id())).groups(Set.of("user"))
                .claim("sid", sessionIdOf(account))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .jws().algorithm(SignatureAlgorithm.HS256).sign(SERVER_KEY);
        refused(token);
    }

    @Test
    void tamperedPayloadIsRefused() {
        Api.Account victim = Api.registerAndLogin("victim");
        Api.Account attacker = Api.registerAndLogin("attacker");
        String[] parts = attacker.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"" + attacker.id() + "\"", "\"sub\":\"" + victim.id() + "\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        refused(forged);
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        Api.Account account = Api.registerAndLogin("none");
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"gpuproxy\",\"sub\":\"" + account.id() + "\",\"groups\":[\"user\",\"admin\"],"
                + "\"sid\":\"" + sessionIdOf(account) + "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}");
        refused(header + "." + payload + ".");
    }

    @Test
    void tokenSignedWithAnotherKeyOrAlgorithmIsRefused() {
        Api.Account account = Api.registerAndLogin("otherkey");
        String otherKey = Jwt.issuer("gpuproxy").subject(String.valueOf(account.id())).claim("sid", sessionIdOf(account))
                .expiresAt(Instant.now().plusSeconds(3600))
                .jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec("another-secret-another-secret-0123456".getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
        refused(otherKey);
        // HS512 with the server's own key: only HS256 is accepted (jose4j would refuse to sign with this short key,
        // so the signature is computed by hand).
        String signingInput = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64("{\"iss\":\"gpuproxy\",\"sub\":\""
                + account.id() + "\",\"groups\":[\"user\"],\"sid\":\"" + sessionIdOf(account) + "\",\"exp\":"
                + (Instant.now().getEpochSecond() + 3600) + "}");
        refused(signingInput + "." + hmacSha512(signingInput));
    }

    @Test
    void validTokenIsAccepted() {
        Api.Account account = Api.registerAndLogin("valid");
        account.asUser().get("/api/v1/user/me").then().statusCode(200);
    }

    private static void refused(String token) {
        given().header("Authorization", "Bearer " + token).get("/api/v1/user/me").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json");
    }

    private static String sessionIdOf(Api.Account account) {
        return account.refreshToken().substring(0, account.refreshToken().indexOf('.'));
    }

    private static String hmacSha512(String input) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(TestServices.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
