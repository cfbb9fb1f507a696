package dev.gpuproxy.server.common.crypto;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.gpuproxy.server.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** bcrypt hashing of passwords and API-key secrets, at the configured cost (BCRYPT_COST). */
@ApplicationScoped
public class PasswordHasher {

    /** bcrypt reads at most 72 bytes; longer secrets are never stored, so they never match. */
    public static final int MAX_SECRET_BYTES = 72;

    private final int cost;
    /** Verified against when a login names an unknown email, so both cases take the same time. */
    private final String decoyHash;

    PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = hash("decoy-password-for-timing");
    }

    public String hash(String secret) {
        return BCrypt.withDefaults().hashToString(cost, secret.toCharArray());
    }

    /** False for a wrong secret, and for one longer than bcrypt reads (the library would throw on it). */
    public boolean verify(String secret, String hash) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SECRET_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(bytes, hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends one verification's worth of time and always fails. */
    public boolean verifyAgainstDecoy(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        BCrypt.verifyer().verify(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, MAX_SECRET_BYTES)),
                decoyHash.getBytes(StandardCharsets.UTF_8));
        return false;
    }
}
