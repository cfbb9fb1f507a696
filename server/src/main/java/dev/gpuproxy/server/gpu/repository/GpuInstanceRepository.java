package dev.gpuproxy.server.gpu.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hibernate.Session;
import org.hibernate.exception.ConstraintViolationException;

/** Queries on {@code instances} through the active database's {@link Session}; callers bring the transaction. */
@ApplicationScoped
public class GpuInstanceRepository {

    /** SQLite's result code for a violated constraint (its driver sets no SQLState). */
    private static final int SQLITE_CONSTRAINT = 19;

    private final Session session;

    GpuInstanceRepository(Session session) {
        this.session = session;
    }

    /**
     * Inserts a new row and assigns its id at once (billing is keyed by it).
     *
     * @return false when a unique index refuses it: a static server another tenant holds (the transaction is then
     *         marked for rollback)
     */
    public boolean insertUnlessTaken(GpuInstanceEntity instance) {
        try {
            session.persist(instance);
            session.flush();
            return true;
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException
                    || cause instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("23")
                    || sql.getErrorCode() == SQLITE_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }

    public void delete(GpuInstanceEntity instance) {
        session.remove(instance);
    }

    public Optional<GpuInstanceEntity> findById(long id) {
        return Optional.ofNullable(session.find(GpuInstanceEntity.class, id));
    }

    /** The row, locked against a concurrent poller on another replica until the transaction ends. */
    public Optional<GpuInstanceEntity> lockById(long id) {
        return Optional.ofNullable(session.find(GpuInstanceEntity.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The caller's instance with this provider id; another tenant's is "not there". */
    public Optional<GpuInstanceEntity> findOwned(long userId, String provider, String providerInstanceId) {
        return session.createSelectionQuery(
                        "from GpuInstanceEntity where userId = :user and provider = :provider"
                                + " and providerInstanceId = :instance", GpuInstanceEntity.class)
                .setParameter("user", userId)
                .setParameter("provider", provider)
                .setParameter("instance", providerInstanceId)
                .uniqueResultOptional();
    }

    /** The caller's instances, newest first; ended ones only when asked for. */
    public List<GpuInstanceEntity> listOwned(long userId, boolean includeEnded) {
        return session.createSelectionQuery(
                        "from GpuInstanceEntity where userId = :user"
                                + (includeEnded ? "" : " and endedAt is null") + " order by id desc",
                        GpuInstanceEntity.class)
                .setParameter("user", userId)
                .getResultList();
    }

    /** Ids of every instance not yet ended, oldest first: what the poller looks at. */
    /** Every tenant's instances not yet ended, newest first (for operators). */
    public List<GpuInstanceEntity> listLive() {
        return session.createSelectionQuery("from GpuInstanceEntity where endedAt is null order by id desc",
                GpuInstanceEntity.class).getResultList();
    }

    public List<Long> liveIds() {
        return session.createSelectionQuery(
                        "select id from GpuInstanceEntity where endedAt is null order by id", Long.class)
                .getResultList();
    }

    /** Offer ids (server names) of a provider's instances not yet ended: the static servers currently assigned. */
    public Set<String> liveOfferIds(String provider) {
        return new HashSet<>(session.createSelectionQuery(
                        "select offerId from GpuInstanceEntity where provider = :provider and endedAt is null",
                        String.class)
                .setParameter("provider", provider)
                .getResultList());
    }
}
