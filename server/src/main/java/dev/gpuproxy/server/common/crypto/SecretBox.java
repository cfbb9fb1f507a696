package dev.gpuproxy.server.common.crypto;

import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.config.DatabaseConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts secrets kept in the database (backend API keys) with AES-256-GCM. The key is ENCRYPTION_KEY (base64, 32
 * bytes); else derived from JWT_SECRET (which every replica shares); else, for a single dev server, a random key kept
 * in a file next to the SQLite database.
 */
@ApplicationScoped
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final String PREFIX = "v1:";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    SecretBox(@ConfigProperty(name = "encryption.key") Optional<String> encryptionKey, AuthConfig auth,
              DatabaseConfig database) {
        this.key = new SecretKeySpec(keyBytes(encryptionKey, auth, database), "AES");
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    public String decrypt(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Not a sealed secret");
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored secret cannot be decrypted: was ENCRYPTION_KEY changed?", e);
        }
    }

    private static byte[] keyBytes(Optional<String> encryptionKey, AuthConfig auth, DatabaseConfig database) {
        if (encryptionKey.isPresent() && !encryptionKey.get().isBlank()) {
            byte[] decoded = Base64.getDecoder().decode(encryptionKey.get().trim());
            if (decoded.length != 32) {
                throw new IllegalArgumentException("ENCRYPTION_KEY must be 32 bytes, base64-encoded (got "
                        + decoded.length + " bytes)");
            }
            return decoded;
        }
        if (auth.jwtSecret().isPresent()) {
            return sha256("gpuproxy-secret-box:" + auth.jwtSecret().get());
        }
        Path file = Path.of(database.path()).toAbsolutePath().getParent().resolve("gpuproxy.key");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                Files.write(file, Base64.getEncoder().encode(fresh));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Log.warnf("Neither ENCRYPTION_KEY nor JWT_SECRET is set: stored API keys are encrypted with a key"
                        + " kept in %s. Set ENCRYPTION_KEY (same on every replica) for production.", file);
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the secret-box key in " + file, e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
