package dev.gpuproxy.server.identity.auth.service;

import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys that passed a bcrypt check, keyed by the SHA-256 of the presented key, so later requests with the same key
 * cost a hash and a map lookup. Bounded: past the limit, arbitrary entries are dropped (they are re-verified on next
 * use). Entries are dropped on revocation and never outlive the key's expiry.
 */
public final class VerifiedKeyCache {

    public record VerifiedKey(long keyId, long userId, Instant expiresAt) {
        boolean validAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }
    }

    private final int maxSize;
    private final Map<String, VerifiedKey> byFingerprint = new ConcurrentHashMap<>();

    public VerifiedKeyCache(int maxSize) {
        this.maxSize = maxSize;
    }

    public VerifiedKey get(String fingerprint, Instant now) {
        VerifiedKey key = byFingerprint.get(fingerprint);
        if (key != null && !key.validAt(now)) {
            byFingerprint.remove(fingerprint, key);
            return null;
        }
        return key;
    }

    public void put(String fingerprint, VerifiedKey key) {
        if (byFingerprint.size() >= maxSize) {
            shrink();
        }
        byFingerprint.put(fingerprint, key);
    }

    public void evictKeys(Collection<Long> keyIds) {
        if (!keyIds.isEmpty()) {
            byFingerprint.values().removeIf(key -> keyIds.contains(key.keyId()));
        }
    }

    public void evictUsers(Collection<Long> userIds) {
        if (!userIds.isEmpty()) {
            byFingerprint.values().removeIf(key -> userIds.contains(key.userId()));
        }
    }

    public int size() {
        return byFingerprint.size();
    }

    /** Drops about a tenth of the entries; which ones does not matter, they are re-verified on next use. */
    private void shrink() {
        int toDrop = Math.max(1, maxSize / 10);
        Iterator<String> it = byFingerprint.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
