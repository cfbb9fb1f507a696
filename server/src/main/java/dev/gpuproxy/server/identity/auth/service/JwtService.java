package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import io.quarkus.logging.Log;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Issues and verifies access tokens: HS256 JWTs (smallrye-jwt) with the user id as subject, email, role groups and
 * the login session id ({@code sid}). Only HS256 signed with our key is accepted, so {@code alg: none} and tokens
 * signed with another algorithm or key are refused.
 */
@ApplicationScoped
public class JwtService {

    public static final String SESSION_CLAIM = "sid";
    private static final int MIN_SECRET_BYTES = 32;

    private final AuthConfig config;
    private final Clock clock;
    private final SecretKey key;
    private final DefaultJWTParser parser;

    JwtService(AuthConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.key = signingKey(config);
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, config.jwtIssuer());
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setExpGracePeriodSecs(0);
        this.parser = new DefaultJWTParser(info);
    }

    public record IssuedToken(String token, Instant expiresAt) {}

    public IssuedToken issue(UserSnapshot user, String sessionId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.jwtExpiration());
        String token = Jwt.issuer(config.jwtIssuer())
                .subject(String.valueOf(user.id()))
                .upn(user.email())
                .claim("email", user.email())
                .groups(user.isAdmin() ? Set.of("user", "admin") : Set.of("user"))
                .claim(SESSION_CLAIM, sessionId)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("jti", UUID.randomUUID().toString())
                .jws().algorithm(SignatureAlgorithm.HS256)
                .sign(key);
        return new IssuedToken(token, expiresAt);
    }

    /**
     * Verifies signature, algorithm, issuer and expiry.
     *
     * @throws ParseException when any check fails
     */
    public JsonWebToken verify(String token) throws ParseException {
        return parser.parse(token);
    }

    /**
     * Whether {@code token} carries our HS256 signature, expired or not: used to keep our tokens from reaching
     * third parties (a leaked expired token still names the user and its session).
     */
    public boolean signedHere(String token) {
        int lastDot = token.lastIndexOf('.');
        if (lastDot <= 0 || token.indexOf('.') == lastDot) {
            return false;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
            byte[] presented = java.util.Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
            return java.security.MessageDigest.isEqual(expected, presented);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static SecretKey signingKey(AuthConfig config) {
        byte[] secret;
        if (config.jwtSecret().isPresent()) {
            secret = config.jwtSecret().get().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(
                        "JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long (got " + secret.length + ")");
            }
        } else {
            secret = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            Log.warn("JWT_SECRET is not set: access tokens are signed with a random key that dies with this process."
                    + " Set JWT_SECRET (same value on every replica) for production.");
        }
        return new SecretKeySpec(secret, "HmacSHA256");
    }
}
