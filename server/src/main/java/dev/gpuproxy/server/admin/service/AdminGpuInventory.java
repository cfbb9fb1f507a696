package dev.gpuproxy.server.admin.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.repository.ReservationEntity;
import dev.gpuproxy.server.gpu.reservation.ReservationService;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import dev.gpuproxy.server.gpu.service.PriceMicros;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/**
 * Every tenant's GPU instances and reservations for the operator, with their owners, and releasing them on a tenant's
 * behalf (through the same services a tenant uses, so billing and pools follow; audited).
 */
@ApplicationScoped
public class AdminGpuInventory {

    /** {@code live} (not ended), {@code ended}, {@code all}, or one state. */
    static final Set<String> INSTANCE_STATES = Set.of("pending", "loading", "running", "stopped", "failed", "terminated");
    static final Set<String> RESERVATION_STATES = Set.of("pending", "active", "failed", "released", "expired");

    private final Session session;
    private final GpuInstanceService instances;
    private final ReservationService reservations;
    private final AuditTrail audit;

    AdminGpuInventory(Session session, GpuInstanceService instances, ReservationService reservations,
                      AuditTrail audit) {
        this.session = session;
        this.instances = instances;
        this.reservations = reservations;
        this.audit = audit;
    }

    public record InstanceRow(long id, String provider, @JsonProperty("provider_instance_id") String providerInstanceId,
                              @JsonProperty("offer_id") String offerId, @JsonProperty("gpu_model") String gpuModel,
                              @JsonProperty("gpu_count") int gpuCount, @JsonProperty("vram_gb") Integer vramGb,
                              String state, @JsonProperty("price_per_hour") BigDecimal pricePerHour, String endpoint,
                              @JsonProperty("reservation_id") Long reservationId, @JsonProperty("user_id") long userId,
                              @JsonProperty("user_email") String userEmail, @JsonProperty("created_at") Instant createdAt,
                              @JsonProperty("ended_at") Instant endedAt) {}

    public record ReservationRow(long id, @JsonProperty("user_id") long userId,
                                 @JsonProperty("user_email") String userEmail, int requested,
                                 @JsonProperty("live_instances") long liveInstances, String state, String strategy,
                                 @JsonProperty("pool_id") Long poolId, String model,
                                 @JsonProperty("credits_held") BigDecimal creditsHeld,
                                 @JsonProperty("created_at") Instant createdAt,
                                 @JsonProperty("expires_at") Instant expiresAt,
                                 @JsonProperty("released_at") Instant releasedAt) {}

    public record Page<T>(List<T> data, long total, int limit, int offset) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<InstanceRow> instances(String state, String provider, Long userId, int limit, int offset) {
        String filter = state == null || state.isBlank() ? "live" : state.strip();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        switch (filter) {
            case "live" -> where.append(" and i.endedAt is null");
            case "ended" -> where.append(" and i.endedAt is not null");
            case "all" -> { }
            default -> {
                if (!INSTANCE_STATES.contains(filter)) {
                    throw ApiException.badRequest("state must be live, ended, all or one of "
                            + String.join(", ", INSTANCE_STATES.stream().sorted().toList()));
                }
                where.append(" and i.state = :state");
                params.put("state", filter);
            }
        }
        if (provider != null && !provider.isBlank()) {
            where.append(" and i.provider = :provider");
            params.put("provider", provider.strip());
        }
        if (userId != null) {
            where.append(" and i.userId = :user");
            params.put("user", userId);
        }
        List<Object[]> rows = bind(session.createSelectionQuery("select i, u.email from GpuInstanceEntity i,"
                + " UserEntity u" + where + " and u.id = i.userId order by i.id desc", Object[].class), params)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
        long total = bind(session.createSelectionQuery("select count(i) from GpuInstanceEntity i" + where, Long.class),
                params).getSingleResult();
        List<InstanceRow> data = rows.stream().map(r -> instanceRow((GpuInstanceEntity) r[0], (String) r[1])).toList();
        return new Page<>(data, total, limit, offset);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<ReservationRow> reservations(String state, Long userId, int limit, int offset) {
        String filter = state == null || state.isBlank() ? "live" : state.strip();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        switch (filter) {
            case "live" -> where.append(" and r.releasedAt is null and r.state in ('pending', 'active')");
            case "all" -> { }
            default -> {
                if (!RESERVATION_STATES.contains(filter)) {
                    throw ApiException.badRequest("state must be live, all or one of "
                            + String.join(", ", RESERVATION_STATES.stream().sorted().toList()));
                }
                where.append(" and r.state = :state");
                params.put("state", filter);
            }
        }
        if (userId != null) {
            where.append(" and r.userId = :user");
            params.put("user", userId);
        }
        List<Object[]> rows = bind(session.createSelectionQuery("select r, u.email, (select count(i) from"
                + " GpuInstanceEntity i where i.reservationId = r.id and i.endedAt is null) from ReservationEntity r,"
                + " UserEntity u" + where + " and u.id = r.userId order by r.id desc", Object[].class), params)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
        long total = bind(session.createSelectionQuery("select count(r) from ReservationEntity r" + where, Long.class),
                params).getSingleResult();
        List<ReservationRow> data = rows.stream()
                .map(r -> reservationRow((ReservationEntity) r[0], (String) r[1], ((Number) r[2]).longValue()))
                .toList();
        return new Page<>(data, total, limit, offset);
    }

    /** Releases a tenant's instance as if the tenant did; not in a transaction, since the provider is called. */
    public InstanceRow releaseInstance(long adminId, long instanceId) {
        InstanceRef ref = instanceRef(instanceId);
        GpuInstance released = instances.release(ref.userId(), ref.provider(), ref.providerInstanceId());
        audit.record(adminId, "instance.release", "instance", String.valueOf(instanceId),
                "owner=" + ref.userId() + " provider=" + ref.provider() + " state=" + released.state());
        return instance(instanceId);
    }

    /** A released reservation, and the instances that could not be released (empty when all were). */
    public record ReleasedReservation(ReservationRow reservation, List<String> errors) {}

    /** Releases a tenant's reservation (all its live instances and its pool) as if the tenant did. */
    public ReleasedReservation releaseReservation(long adminId, long reservationId) {
        long owner = reservationOwner(reservationId);
        ReservationService.Reservation released = reservations.release(owner, reservationId);
        audit.record(adminId, "reservation.release", "reservation", String.valueOf(reservationId),
                "owner=" + owner + " state=" + released.state());
        return new ReleasedReservation(reservation(reservationId), released.errors());
    }

    /** One reservation as it is now in the database. */
    @Transactional
    public ReservationRow reservation(long id) {
        Object[] row = session.createSelectionQuery("select r, u.email, (select count(i) from GpuInstanceEntity i"
                        + " where i.reservationId = r.id and i.endedAt is null) from ReservationEntity r, UserEntity u"
                        + " where r.id = :id and u.id = r.userId", Object[].class)
                .setParameter("id", id).uniqueResultOptional()
                .orElseThrow(() -> ApiException.notFound("No reservation " + id));
        ReservationEntity r = (ReservationEntity) row[0];
        session.refresh(r);
        return reservationRow(r, (String) row[1], ((Number) row[2]).longValue());
    }

    private static ReservationRow reservationRow(ReservationEntity e, String email, long live) {
        return new ReservationRow(e.id, e.userId, email, e.requested, live, e.state, e.strategy, e.poolId, e.model,
                Credits.toDecimal(e.creditsHeld), e.createdAt, e.expiresAt, e.releasedAt);
    }

    private record InstanceRef(long userId, String provider, String providerInstanceId) {}

    @Transactional
    InstanceRef instanceRef(long id) {
        GpuInstanceEntity row = session.find(GpuInstanceEntity.class, id);
        if (row == null) {
            throw ApiException.notFound("No instance " + id);
        }
        return new InstanceRef(row.userId, row.provider, row.providerInstanceId);
    }

    @Transactional
    long reservationOwner(long id) {
        ReservationEntity row = session.find(ReservationEntity.class, id);
        if (row == null) {
            throw ApiException.notFound("No reservation " + id);
        }
        return row.userId;
    }

    /** One instance as it is now in the database. */
    @Transactional
    public InstanceRow instance(long id) {
        Object[] row = session.createSelectionQuery("select i, u.email from GpuInstanceEntity i, UserEntity u"
                        + " where i.id = :id and u.id = i.userId", Object[].class)
                .setParameter("id", id).uniqueResultOptional()
                .orElseThrow(() -> ApiException.notFound("No instance " + id));
        GpuInstanceEntity instance = (GpuInstanceEntity) row[0];
        session.refresh(instance);
        return instanceRow(instance, (String) row[1]);
    }

    private static InstanceRow instanceRow(GpuInstanceEntity i, String email) {
        return new InstanceRow(i.id, i.provider, i.providerInstanceId, i.offerId, i.gpuModel, i.gpuCount, i.vramGb,
                i.state, PriceMicros.toDollars(i.pricePerHourMicros), i.endpoint, i.reservationId,
                i.userId, email, i.createdAt, i.endedAt);
    }

    private static <Q extends SelectionQuery<?>> Q bind(Q query, Map<String, Object> params) {
        params.forEach(query::setParameter);
        return query;
    }
}
