package dev.gpuproxy.server.lb.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** Pools and backends as stored by the admin API. */
@ApplicationScoped
public class LbRepository {

    private final Session session;

    LbRepository(Session session) {
        this.session = session;
    }

    public List<PoolEntity> pools() {
        return session.createSelectionQuery("from PoolEntity order by id", PoolEntity.class).getResultList();
    }

    public List<BackendEntity> backends() {
        return session.createSelectionQuery("from BackendEntity order by id", BackendEntity.class).getResultList();
    }

    public Optional<PoolEntity> pool(long id) {
        return Optional.ofNullable(session.find(PoolEntity.class, id));
    }

    public Optional<PoolEntity> globalPool(String name) {
        return session.createSelectionQuery("from PoolEntity where name = :name and ownerUserId is null", PoolEntity.class)
                .setParameter("name", name)
                .uniqueResultOptional();
    }

    public Optional<BackendEntity> backend(long id) {
        return Optional.ofNullable(session.find(BackendEntity.class, id));
    }

    /** Strategy settings keyed {@code scope:scopeId} ({@code global:0}, {@code user:42}, {@code pool:7}). */
    public java.util.Map<String, String> strategySettings() {
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        for (Object[] row : session.createNativeQuery("select scope, scope_id, strategy from lb_settings", Object[].class)
                .getResultList()) {
            settings.put(row[0] + ":" + ((Number) row[1]).longValue(), (String) row[2]);
        }
        return settings;
    }

    /** Sets the strategy of a scope (insert or update). */
    public void saveStrategy(String scope, long scopeId, String strategy, java.time.Instant now) {
        session.createNativeMutationQuery("insert into lb_settings (scope, scope_id, strategy, updated_at)"
                        + " values (:scope, :scopeId, :strategy, :now) on conflict (scope, scope_id)"
                        + " do update set strategy = excluded.strategy, updated_at = excluded.updated_at")
                .setParameter("scope", scope)
                .setParameter("scopeId", scopeId)
                .setParameter("strategy", strategy)
                .setParameter("now", now)
                .executeUpdate();
    }

    public void persist(Object entity) {
        session.persist(entity);
        session.flush();
    }

    public void remove(Object entity) {
        session.remove(entity);
        session.flush();
    }
}
