package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
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
