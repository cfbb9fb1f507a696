package dev.gpuproxy.server.gpu.reservation;

import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.repository.ReservationEntity;
import dev.gpuproxy.server.gpu.service.DefaultLaunch;
import dev.gpuproxy.server.lb.repository.BackendEntity;
import dev.gpuproxy.server.lb.repository.PoolEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/**
 * The database side of reservations, one short transaction per step (provider calls happen between them): the
 * reservation row and its private pool, attaching rented instances, ending it, and keeping the pool's backends equal
 * to the reservation's running instances.
 */
@ApplicationScoped
@Transactional
public class ReservationRecords {

    /** Name of a reservation's private pool. */
    public static String poolName(long reservationId) {
        return "reservation-" + reservationId;
    }

    private final Session session;
    private final Event<ReservationProgressed> progressed;
    private final DefaultLaunch defaults;

    ReservationRecords(Session session, Event<ReservationProgressed> progressed, DefaultLaunch defaults) {
        this.session = session;
        this.progressed = progressed;
        this.defaults = defaults;
    }

    /** A pending reservation and its (still empty) private pool; the pool routes {@code model} when given. */
    public ReservationEntity open(long userId, int requested, String strategy, boolean poolStrategyExplicit,
                                  boolean allOrNothing, String request, String model, Instant now) {
        ReservationEntity r = new ReservationEntity();
        r.userId = userId;
        r.requested = requested;
        r.strategy = strategy;
        r.state = "pending";
        r.allOrNothing = allOrNothing;
        r.request = request;
        r.model = model;
        r.createdAt = now;
        session.persist(r);
        session.flush();
        PoolEntity pool = new PoolEntity();
        pool.name = poolName(r.id);
        pool.ownerUserId = userId;
        pool.strategy = poolStrategyExplicit ? strategy : null;
        pool.aliases = model;
        pool.createdAt = now;
        session.persist(pool);
        session.flush();
        r.poolId = pool.id;
        session.flush();
        progress(r, null);
        session.detach(r);
        return r;
    }

    public void holdRecorded(long reservationId, long micros) {
        session.find(ReservationEntity.class, reservationId).creditsHeld = micros;
    }

    /** Marks an instances row as part of a reservation. */
    public void attach(long instanceRowId, long reservationId) {
        GpuInstanceEntity row = session.find(GpuInstanceEntity.class, instanceRowId);
        if (row != null) {
            row.reservationId = reservationId;
            ReservationEntity r = session.find(ReservationEntity.class, reservationId);
            if (r != null) {
                progress(r, row.id);
            }
        }
    }

    public void activate(long reservationId, Instant expiresAt) {
        ReservationEntity r = session.find(ReservationEntity.class, reservationId);
        r.state = "active";
        r.expiresAt = expiresAt;
        progress(r, null);
    }

    /** Ends a reservation (failed, released, expired): its private pool and the pool's backends go. */
    public void end(long reservationId, String state, Instant now) {
        ReservationEntity r = session.find(ReservationEntity.class, reservationId);
        if (r == null || r.releasedAt != null) {
            return;
        }
        r.state = state;
        r.releasedAt = now;
        progress(r, null);
        Long poolId = r.poolId;
        r.poolId = null;
        session.flush();
        if (poolId != null) {
            session.createMutationQuery("delete from BackendEntity where poolId = :pool").setParameter("pool", poolId)
                    .executeUpdate();
            session.createMutationQuery("delete from PoolEntity where id = :pool").setParameter("pool", poolId)
                    .executeUpdate();
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ReservationEntity> findOwned(long userId, long id) {
        return session.createSelectionQuery("from ReservationEntity where id = :id and userId = :user",
                        ReservationEntity.class)
                .setParameter("id", id).setParameter("user", userId).uniqueResultOptional();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReservationEntity> listOwned(long userId) {
        return session.createSelectionQuery("from ReservationEntity where userId = :user order by id desc",
                ReservationEntity.class).setParameter("user", userId).getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GpuInstanceEntity> instances(long reservationId) {
        return session.createSelectionQuery("from GpuInstanceEntity where reservationId = :r order by id",
                GpuInstanceEntity.class).setParameter("r", reservationId).getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> poolNameOf(Long poolId) {
        return poolId == null ? Optional.empty()
                : Optional.ofNullable(session.find(PoolEntity.class, poolId)).map(p -> p.name);
    }

    /** Active reservations whose time is up: (id, owner). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReservationEntity> due(Instant now) {
        return session.createSelectionQuery("from ReservationEntity where state = 'active' and expiresAt is not null"
                + " and expiresAt <= :now order by id", ReservationEntity.class).setParameter("now", now).getResultList();
    }

    /**
     * Makes every active reservation's pool hold exactly its running instances that have an endpoint.
     *
     * @return whether any backend row was added or removed
     */
    public boolean syncBackends(Instant now) {
        boolean changed = false;
        List<ReservationEntity> active = session.createSelectionQuery(
                "from ReservationEntity where state = 'active' and poolId is not null", ReservationEntity.class)
                .getResultList();
        for (ReservationEntity r : active) {
            Map<Long, BackendEntity> existing = new HashMap<>();
            for (BackendEntity b : session.createSelectionQuery("from BackendEntity where poolId = :pool",
                    BackendEntity.class).setParameter("pool", r.poolId).getResultList()) {
                existing.put(b.instanceId, b);
            }
            for (GpuInstanceEntity i : instances(r.id)) {
                boolean serving = i.endedAt == null && "running".equals(i.state) && i.endpoint != null;
                BackendEntity b = existing.remove(i.id);
                String url = serving ? backendUrl(i.endpoint) : null;
                if (serving && (b == null || !b.url.equals(url))) {
                    if (b != null) {
                        session.remove(b);
                    }
                    BackendEntity n = new BackendEntity();
                    n.poolId = r.poolId;
                    n.kind = "openai";
                    n.url = url;
                    n.gpuModel = i.gpuModel;
                    n.vramGb = i.vramGb;
                    n.pricePerHourMicros = i.pricePerHourMicros;
                    n.instanceId = i.id;
                    // A marketplace GPU is routed to once its server answers there (vLLM: after loading the model).
                    n.healthPath = i.endpoint.contains("://") ? null : defaults.healthPath();
                    n.enabled = true;
                    n.createdAt = now;
                    session.persist(n);
                    changed = true;
                } else if (!serving && b != null) {
                    session.remove(b);
                    changed = true;
                }
            }
            for (BackendEntity stray : existing.values()) {
                session.remove(stray);
                changed = true;
            }
        }
        session.flush();
        return changed;
    }

    /**
     * The OpenAI base URL of an instance endpoint: a static server's URL as declared, or {@code http://host:port/v1}
     * for a marketplace instance's published port (vLLM and most OpenAI-compatible servers serve under /v1).
     */
    static String backendUrl(String endpoint) {
        String trimmed = endpoint.strip().replaceAll("/+$", "");
        return trimmed.contains("://") ? trimmed : "http://" + trimmed + "/v1";
    }

    /** Tells the owner's WebSocket clients (after commit) how the reservation stands; {@code joined}: an instance added. */
    private void progress(ReservationEntity r, Long joined) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id);
        data.put("state", r.state);
        data.put("requested", r.requested);
        if (joined != null) {
            data.put("instance_joined", joined);
        }
        data.put("expires_at", r.expiresAt == null ? null : r.expiresAt.toString());
        progressed.fire(new ReservationProgressed(r.userId, data));
    }
}
