package dev.gpuproxy.server.identity.session;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.common.redis.RedisUnavailableException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in Redis (SESSION_MODE=redis): one hash per session that expires with it. Rotation is one Lua script, so
 * it is atomic across replicas. Throws {@link RedisUnavailableException} when Redis does not answer.
 */
@ApplicationScoped
@Typed(RedisSessionStore.class)
public class RedisSessionStore implements SessionStore {

    /** KEYS[1]=session; ARGV: expected hash, new hash, now (ms). Returns 1 rotated, 0 stale, -1 not active. */
    private static final String ROTATE = """
            local hash = redis.call('HGET', KEYS[1], 'hash')
            if not hash then return -1 end
            if redis.call('HEXISTS', KEYS[1], 'revoked') == 1 then return -1 end
            if tonumber(redis.call('HGET', KEYS[1], 'expires')) <= tonumber(ARGV[3]) then return -1 end
            if hash ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'hash', ARGV[2])
            return 1
            """;

    /** KEYS[1]=session; ARGV[1]=expiry (epoch ms), then field/value pairs. Replaces the whole hash atomically. */
    private static final String WRITE = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            return 1
            """;

    private final OptionalRedis redis;

    RedisSessionStore(OptionalRedis redis) {
        this.redis = redis;
    }

    @Override
    public void create(SessionRecord session) {
        write(session);
    }

    /** Stores the whole record, replacing what Redis had, until the session expires. */
    public void write(SessionRecord session) {
        write(session, session.expiresAt());
    }

    /**
     * Stores the whole record as a copy that Redis drops at {@code keepUntil} (or when the session expires, if
     * earlier): balanced mode caches SQL's sessions this way, so a copy that missed a change is re-read from SQL.
     */
    public void write(SessionRecord session, Instant keepUntil) {
        Instant dropAt = keepUntil.isBefore(session.expiresAt()) ? keepUntil : session.expiresAt();
        String key = key(session.id());
        Map<String, String> fields = new HashMap<>();
        fields.put("user", String.valueOf(session.userId()));
        fields.put("hash", session.refreshTokenHash());
        fields.put("created", String.valueOf(session.createdAt().toEpochMilli()));
        fields.put("expires", String.valueOf(session.expiresAt().toEpochMilli()));
        if (session.ip() != null) {
            fields.put("ip", session.ip());
        }
        if (session.userAgent() != null) {
            fields.put("ua", session.userAgent());
        }
        if (session.revokedAt() != null) {
            fields.put("revoked", String.valueOf(session.revokedAt().toEpochMilli()));
        }
        List<String> args = new ArrayList<>(List.of("EVAL", WRITE, "1", key, String.valueOf(dropAt.toEpochMilli())));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        // One command, no operator chain: Mutiny callbacks would carry the caller's JTA context to the event loop.
        await(() -> dataSource().execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new)));
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        // Through a script, for a flat field/value array whatever protocol version the connection speaks.
        Response flat = await(() -> dataSource().execute("EVAL", "return redis.call('HGETALL', KEYS[1])", "1", key(id)));
        if (flat == null || flat.size() == 0) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return Optional.of(new SessionRecord(id, Long.parseLong(fields.get("user")), fields.get("hash"),
                fields.get("ip"), fields.get("ua"), instant(fields.get("created")), instant(fields.get("expires")),
                fields.containsKey("revoked") ? instant(fields.get("revoked")) : null));
    }

    @Override
    public Rotation rotate(String id, String expectedHash, String newHash, Instant now) {
        Response result = await(() -> dataSource().execute("EVAL", ROTATE, "1", key(id), expectedHash, newHash,
                String.valueOf(now.toEpochMilli())));
        long code = result.toLong();
        return code == 1 ? Rotation.ROTATED : code == 0 ? Rotation.STALE_TOKEN : Rotation.NOT_ACTIVE;
    }

    @Override
    public void revoke(String id, Instant at) {
        String key = key(id);
        // HSETNX keeps the first revocation time; a missing session stays missing (EXISTS guard in the script).
        await(() -> dataSource().execute("EVAL",
                "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSETNX', KEYS[1], 'revoked', ARGV[1]) end return 0",
                "1", key, String.valueOf(at.toEpochMilli())));
    }

    private ReactiveRedisDataSource dataSource() {
        return redis.dataSource().orElseThrow(() -> new RedisUnavailableException("Redis is not configured"));
    }

    private String key(String id) {
        return redis.key("session:" + id);
    }

    private static Instant instant(String epochMillis) {
        return Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }

    /**
     * Runs one Redis command outside the caller's JTA transaction: created and awaited with the transaction
     * suspended, so context propagation cannot carry the transaction onto the Redis client's event-loop thread
     * (Narayana then refuses the commit: "multiple threads active" / "enlisted connection used without active
     * transaction").
     */
    private <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> operation) {
        Duration timeout = redis.timeout();
        try {
            return io.quarkus.narayana.jta.QuarkusTransaction.suspendingExisting()
                    .call(() -> operation.get().await().atMost(timeout));
        } catch (RuntimeException e) {
            throw new RedisUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
