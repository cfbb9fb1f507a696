package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.common.crypto.PasswordHasher;
import dev.gpuproxy.server.common.crypto.Tokens;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.auth.repository.ApiKeyEntity;
import dev.gpuproxy.server.identity.auth.repository.ApiKeyRepository;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys of the form {@code gpx_<prefix>_<secret>}: created (shown once), listed, revoked, and checked on every
 * request. Only the bcrypt hash of the secret is stored; a key that passed the check once is remembered in a
 * {@link VerifiedKeyCache} so the hot path skips bcrypt.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class ApiKeyService {

    public static final String KEY_PREFIX = "gpx_";
    private static final int PREFIX_LENGTH = 12;
    /** Secrets are API_KEY_LENGTH (24..64) characters: anything longer is no key of ours and never reaches bcrypt. */
    private static final Pattern KEY_FORMAT = Pattern.compile("gpx_([A-Za-z0-9]{12})_([A-Za-z0-9]{16,64})");

    private final ApiKeyRepository keys;
    private final PasswordHasher hasher;
    private final ApiKeyUsageRecorder usage;
    private final Clock clock;
    private final AuthConfig config;
    private final VerifiedKeyCache verified;
    /** Fingerprints of keys that failed recently: repeated bad keys must not cost a bcrypt each. */
    private final VerifiedKeyCache rejected;

    ApiKeyService(ApiKeyRepository keys, PasswordHasher hasher, ApiKeyUsageRecorder usage, Clock clock,
                  AuthConfig config) {
        this.keys = keys;
        this.hasher = hasher;
        this.usage = usage;
        this.clock = clock;
        this.config = config;
        this.verified = new VerifiedKeyCache(config.apiKeyCacheSize());
        this.rejected = new VerifiedKeyCache(config.apiKeyCacheSize());
    }

    public static boolean looksLikeApiKey(String credential) {
        return credential.startsWith(KEY_PREFIX);
    }

    @Transactional
    public ApiKeyView create(long userId, String name, Instant expiresAt) {
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.badRequest("expires_at must be in the future");
        }
        String prefix = Tokens.randomAlphanumeric(PREFIX_LENGTH);
        String secret = Tokens.randomAlphanumeric(config.apiKeyLength());
        ApiKeyEntity key = new ApiKeyEntity();
        key.userId = userId;
        key.name = name.trim();
        key.prefix = prefix;
        key.secretHash = hasher.hash(secret);
        key.expiresAt = expiresAt;
        key.createdAt = now;
        keys.persist(key);
        return ApiKeyView.of(key).withSecret(KEY_PREFIX + prefix + "_" + secret);
    }

    @Transactional
    public List<ApiKeyView> list(long userId) {
        return keys.listOwned(userId).stream().map(ApiKeyView::of).toList();
    }

    /** Revokes one of the owner's keys; another user's key id is "not found". Revoking twice is harmless. */
    @Transactional
    public void revoke(long userId, long keyId) {
        ApiKeyEntity key = keys.findOwned(userId, keyId)
                .orElseThrow(() -> ApiException.notFound("No API key " + keyId));
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant();
        }
        evictKeys(List.of(keyId));
    }

    /** The verified key from the cache, without touching the database; empty on a miss. */
    public Optional<VerifiedKeyCache.VerifiedKey> cached(String presented) {
        Instant now = clock.instant();
        VerifiedKeyCache.VerifiedKey hit = verified.get(Tokens.sha256Hex(presented), now);
        if (hit != null) {
            usage.used(hit.keyId(), now);
        }
        return Optional.ofNullable(hit);
    }

    /** Full check (database and bcrypt) for a key not in the cache; blocking. Empty when the key is not valid. */
    @Transactional
    public Optional<VerifiedKeyCache.VerifiedKey> verify(String presented) {
        Instant now = clock.instant();
        String fingerprint = Tokens.sha256Hex(presented);
        VerifiedKeyCache.VerifiedKey hit = verified.get(fingerprint, now);
        if (hit != null) {
            usage.used(hit.keyId(), now);
            return Optional.of(hit);
        }
        if (rejected.get(fingerprint, now) != null) {
            return Optional.empty();
        }
        Matcher parts = KEY_FORMAT.matcher(presented);
        Optional<ApiKeyEntity> stored = parts.matches() ? keys.findByPrefix(parts.group(1)) : Optional.empty();
        boolean valid = stored.isPresent() && stored.get().usableAt(now)
                && hasher.verify(parts.group(2), stored.get().secretHash);
        if (!valid) {
            rejected.put(fingerprint, new VerifiedKeyCache.VerifiedKey(-1, -1, now.plusSeconds(60)));
            return Optional.empty();
        }
        ApiKeyEntity key = stored.get();
        VerifiedKeyCache.VerifiedKey entry = new VerifiedKeyCache.VerifiedKey(key.id, key.userId, key.expiresAt);
        verified.put(fingerprint, entry);
        usage.used(key.id, now);
        return Optional.of(entry);
    }

    public void evictKeys(List<Long> keyIds) {
        verified.evictKeys(keyIds);
    }

    public void evictUsers(List<Long> userIds) {
        verified.evictUsers(userIds);
    }
}
