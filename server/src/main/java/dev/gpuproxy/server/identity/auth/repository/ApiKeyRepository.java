package dev.gpuproxy.server.identity.auth.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/** Persistence of {@link ApiKeyEntity} rows; every tenant-facing query is scoped by owner. */
@ApplicationScoped
public class ApiKeyRepository {

    private final Session session;

    ApiKeyRepository(Session session) {
        this.session = session;
    }

    public void persist(ApiKeyEntity key) {
        session.persist(key);
        session.flush();
    }

    public Optional<ApiKeyEntity> findByPrefix(String prefix) {
        return session.createSelectionQuery("from ApiKeyEntity where prefix = :prefix", ApiKeyEntity.class)
                .setParameter("prefix", prefix)
                .uniqueResultOptional();
    }

    public Optional<ApiKeyEntity> findOwned(long userId, long keyId) {
        return session.createSelectionQuery("from ApiKeyEntity where id = :id and userId = :userId", ApiKeyEntity.class)
                .setParameter("id", keyId)
                .setParameter("userId", userId)
                .uniqueResultOptional();
    }

    public List<ApiKeyEntity> listOwned(long userId) {
        return session.createSelectionQuery("from ApiKeyEntity where userId = :userId order by id", ApiKeyEntity.class)
                .setParameter("userId", userId)
                .getResultList();
    }

    public long countActive(Instant now) {
        return session.createSelectionQuery("select count(k) from ApiKeyEntity k where k.revokedAt is null"
                        + " and (k.expiresAt is null or k.expiresAt > :now)", Long.class)
                .setParameter("now", now)
                .getSingleResult();
    }

    /** Ids of keys revoked at or after {@code since}. */
    public List<Long> revokedSince(Instant since) {
        return session.createSelectionQuery("select k.id from ApiKeyEntity k where k.revokedAt >= :since", Long.class)
                .setParameter("since", since)
                .getResultList();
    }

    /** Writes the latest use of each key, never moving a timestamp backwards. */
    public void recordLastUse(Map<Long, Instant> lastUse) {
        lastUse.forEach((keyId, at) -> session.createMutationQuery(
                        "update ApiKeyEntity set lastUsedAt = :at where id = :id and (lastUsedAt is null or lastUsedAt < :at)")
                .setParameter("at", at)
                .setParameter("id", keyId)
                .executeUpdate());
    }
}
