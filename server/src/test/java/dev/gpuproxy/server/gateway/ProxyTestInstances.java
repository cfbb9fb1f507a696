package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.lb.repository.BackendEntity;
import dev.gpuproxy.server.lb.repository.PoolEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/** Instance rows for the envelope and pass-through tests: a tenant's machine in a given state at a given endpoint. */
@ApplicationScoped
@Transactional
public class ProxyTestInstances {

    private final Session session;

    ProxyTestInstances(Session session) {
        this.session = session;
    }

    /**
     * A private pool of {@code userId}'s named {@code name} with one {@code openai} backend at {@code url}, as a
     * reservation makes from the endpoint a GPU provider reported; returns nothing, the registry is refreshed after.
     */
    public void privatePool(long userId, String name, String url) {
        Instant now = Instant.now();
        PoolEntity pool = new PoolEntity();
        pool.name = name;
        pool.ownerUserId = userId;
        pool.createdAt = now;
        session.persist(pool);
        session.flush();
        BackendEntity backend = new BackendEntity();
        backend.poolId = pool.id;
        backend.kind = "openai";
        backend.url = url;
        backend.createdAt = now;
        session.persist(backend);
        session.flush();
    }

    /** A row of {@code userId}'s in {@code state} whose endpoint is {@code endpoint}; returns its id. */
    public long create(long userId, String state, String endpoint) {
        Instant now = Instant.now();
        GpuInstanceEntity row = new GpuInstanceEntity();
        row.userId = userId;
        row.provider = "proxytest";
        row.providerInstanceId = "pt-" + UUID.randomUUID();
        row.offerId = "offer-" + UUID.randomUUID();
        row.gpuCount = 1;
        row.state = state;
        row.pricePerHourMicros = 0;
        row.endpoint = endpoint;
        row.createdAt = now;
        row.updatedAt = now;
        row.endedAt = "terminated".equals(state) ? now : null;
        session.persist(row);
        session.flush();
        return row.id;
    }
}
