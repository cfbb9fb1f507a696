package dev.gpuproxy.server.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random secrets and their SHA-256 fingerprints (for high-entropy tokens, where bcrypt would add nothing). */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /**
     * One digest per thread: the gateway hashes the presented API key on every request, and looking SHA-256 up among
     * the security providers cost more than hashing a key.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private Tokens() {
    }

    /** {@code length} characters drawn uniformly from [A-Za-z0-9]. */
    public static String randomAlphanumeric(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    public static String sha256Hex(String value) {
        // digest() resets the digest for the next use on this thread.
        return HEX.formatHex(SHA_256.get().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares without leaking where two strings differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
