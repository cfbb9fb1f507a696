package dev.gpuproxy.server.auth.service;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.gpuproxy.server.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** bcrypt hashing of passwords and API-key secrets, at the configured cost (BCRYPT_COST). */
@ApplicationScoped
public class PasswordHasher {

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

    public boolean verify(String secret, String hash) {
        return BCrypt.verifyer().verify(secret.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified;
    }

    /** Spends one verification's worth of time and always fails. */
    public boolean verifyAgainstDecoy(String secret) {
        verify(secret, decoyHash);
        return false;
    }
}
