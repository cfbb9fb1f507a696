package dev.gpuproxy.server.identity.session;

import dev.gpuproxy.server.identity.session.repository.SessionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.Session;

/** Sessions in the database (SESSION_MODE=sql, and the source of truth in balanced mode). */
@ApplicationScoped
@Typed(SqlSessionStore.class)
@Transactional
public class SqlSessionStore implements SessionStore {

    private final Session session;

    SqlSessionStore(Session session) {
        this.session = session;
    }

    @Override
    public void create(SessionRecord record) {
        SessionEntity entity = SessionEntity.of(record);
        session.persist(entity);
        session.flush();
        session.detach(entity);
    }

    @Override
    @Transactional
    public Optional<SessionRecord> find(String id) {
        SessionEntity entity = session.find(SessionEntity.class, id);
        if (entity == null) {
            return Optional.empty();
        }
        // Never keep sessions managed: rotate and revoke are bulk updates, which a managed copy would not see.
        session.detach(entity);
        return Optional.of(entity.toRecord());
    }

    @Override
    public Rotation rotate(String id, String expectedHash, String newHash, Instant now) {
        // One conditional UPDATE is the compare-and-set: two concurrent refreshes cannot both win.
        int updated = session.createMutationQuery("update SessionEntity set refreshTokenHash = :newHash"
                        + " where id = :id and refreshTokenHash = :expected and revokedAt is null and expiresAt > :now")
                .setParameter("newHash", newHash)
                .setParameter("id", id)
                .setParameter("expected", expectedHash)
                .setParameter("now", now)
                .executeUpdate();
        if (updated == 1) {
            return Rotation.ROTATED;
        }
        return find(id).filter(s -> s.activeAt(now)).isPresent() ? Rotation.STALE_TOKEN : Rotation.NOT_ACTIVE;
    }

    /** Ids of sessions revoked at or after {@code since}. */
    public java.util.List<String> revokedSince(Instant since) {
        return session.createSelectionQuery("select s.id from SessionEntity s where s.revokedAt >= :since",
                        String.class)
                .setParameter("since", since)
                .getResultList();
    }

    @Override
    public void revoke(String id, Instant at) {
        session.createMutationQuery("update SessionEntity set revokedAt = :at where id = :id and revokedAt is null")
                .setParameter("at", at)
                .setParameter("id", id)
                .executeUpdate();
    }
}
