package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.common.crypto.Tokens;

/**
 * SHA-256 fingerprints of presented API keys (what {@link VerifiedKeyCache} is keyed by), remembering the last key seen
 * on each thread: a client sends the same key on every request, and hashing it was about 3% of a proxied request's
 * CPU. The comparison with the remembered key takes the same time wherever two keys differ, so the memo tells nothing
 * about a key another caller sent. The remembered key stays in memory until the thread sees the next one, as the
 * request that carried it does until it is collected.
 */
final class PresentedKeyFingerprints {

    private static final ThreadLocal<String[]> LAST = ThreadLocal.withInitial(() -> new String[2]);

    private PresentedKeyFingerprints() {
    }

    static String of(String presented) {
        String[] last = LAST.get();
        if (last[0] != null && Tokens.constantTimeEquals(last[0], presented)) {
            return last[1];
        }
        String fingerprint = Tokens.sha256Hex(presented);
        last[0] = presented;
        last[1] = fingerprint;
        return fingerprint;
    }
}
