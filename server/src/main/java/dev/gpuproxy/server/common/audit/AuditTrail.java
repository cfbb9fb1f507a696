package dev.gpuproxy.server.common.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import org.hibernate.Session;

/** Records operator actions and money-relevant system events in {@code audit_log}, in the caller's transaction. */
@ApplicationScoped
public class AuditTrail {

    private final Session session;
    private final Clock clock;

    AuditTrail(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    @Transactional
    public void record(Long actorUserId, String action, String targetType, String targetId, String detail) {
        AuditLogEntity entry = new AuditLogEntity();
        entry.actorUserId = actorUserId;
        entry.action = action;
        entry.targetType = targetType;
        entry.targetId = targetId;
        entry.detail = detail;
        entry.createdAt = clock.instant();
        session.persist(entry);
    }

    @Transactional
    public List<AuditLogEntity> forTarget(String targetType, String targetId) {
        return session.createSelectionQuery("from AuditLogEntity where targetType = :type and targetId = :id order by id",
                        AuditLogEntity.class)
                .setParameter("type", targetType)
                .setParameter("id", targetId)
                .getResultList();
    }
}
