package dev.gpuproxy.server.billing.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** Payments, webhook deliveries and billing profiles. Every query a tenant can reach is scoped to one user. */
@ApplicationScoped
public class PaymentRepository {

    private final Session session;

    PaymentRepository(Session session) {
        this.session = session;
    }

    public void persist(PaymentEntity payment) {
        session.persist(payment);
        session.flush();
    }

    /** The user's payment, or empty when it does not exist or belongs to someone else. */
    public Optional<PaymentEntity> find(long userId, long paymentId) {
        return session.createSelectionQuery("from PaymentEntity where id = :id and userId = :userId", PaymentEntity.class)
                .setParameter("id", paymentId)
                .setParameter("userId", userId)
                .uniqueResultOptional();
    }

    /** A payment locked for the rest of the transaction (SQLite: its single connection already serialises). */
    public Optional<PaymentEntity> lock(long paymentId) {
        return Optional.ofNullable(session.find(PaymentEntity.class, paymentId, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<PaymentEntity> findByRequestKey(long userId, String requestKey) {
        return session.createSelectionQuery("from PaymentEntity where userId = :userId and requestKey = :key",
                        PaymentEntity.class)
                .setParameter("userId", userId)
                .setParameter("key", requestKey)
                .uniqueResultOptional();
    }

    /** The payment a processor knows by {@code id}, as its main or its second id. */
    public Optional<PaymentEntity> findByProviderId(String provider, String id) {
        return session.createSelectionQuery("from PaymentEntity where provider = :provider"
                        + " and (externalId = :id or externalRef = :id) order by id", PaymentEntity.class)
                .setParameter("provider", provider)
                .setParameter("id", id)
                .setMaxResults(1)
                .uniqueResultOptional();
    }

    /** The user's payments, newest first. */
    public List<PaymentEntity> page(long userId, String status, int limit, int offset) {
        return session.createSelectionQuery("from PaymentEntity where userId = :userId"
                        + (status == null ? "" : " and status = :status") + " order by id desc", PaymentEntity.class)
                .setParameter("userId", userId)
                .setProperties(status == null ? java.util.Map.of() : java.util.Map.of("status", status))
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public long count(long userId, String status) {
        return session.createSelectionQuery("select count(p) from PaymentEntity p where p.userId = :userId"
                        + (status == null ? "" : " and p.status = :status"), Long.class)
                .setParameter("userId", userId)
                .setProperties(status == null ? java.util.Map.of() : java.util.Map.of("status", status))
                .getSingleResult();
    }

    /** Ids of a provider's pending payments that already name their external transaction (awaiting confirmation). */
    public List<Long> pendingWithExternalId(String provider, int limit) {
        return session.createSelectionQuery("select p.id from PaymentEntity p where p.provider = :provider"
                        + " and p.status = 'pending' and p.externalId is not null order by p.id", Long.class)
                .setParameter("provider", provider)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Ids of a provider's pending payments created before {@code before} that have no external id yet. */
    public List<Long> pendingWithoutExternalId(String provider, Instant before, int limit) {
        return session.createSelectionQuery("select p.id from PaymentEntity p where p.provider = :provider"
                        + " and p.status = 'pending' and p.externalId is null and p.createdAt < :before order by p.id",
                        Long.class)
                .setParameter("provider", provider)
                .setParameter("before", before)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * Records a webhook delivery; false when this event was recorded before (a repeat). Concurrent deliveries of one
     * event are serialised by the primary key: the second waits for the first and then sees it.
     */
    public boolean recordWebhookEvent(String provider, String eventId, Instant now) {
        return session.createNativeMutationQuery("insert into webhook_events (provider, event_id, received_at)"
                        + " values (:provider, :eventId, :now) on conflict do nothing")
                .setParameter("provider", provider)
                .setParameter("eventId", eventId)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    public Optional<BillingProfileEntity> findProfile(long userId) {
        return Optional.ofNullable(session.find(BillingProfileEntity.class, userId));
    }

    public BillingProfileEntity profileForUpdate(long userId, Instant now) {
        BillingProfileEntity profile = session.find(BillingProfileEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (profile == null) {
            profile = new BillingProfileEntity();
            profile.userId = userId;
            profile.updatedAt = now;
            session.persist(profile);
        }
        return profile;
    }

    public void flush() {
        session.flush();
    }
}
