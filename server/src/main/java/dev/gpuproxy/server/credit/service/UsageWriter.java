package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.credit.repository.UsageSessionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import org.hibernate.Session;

/**
 * Writes one usage batch: its {@code usage_sessions} row and its ledger charge, in one transaction. Writing a batch
 * key that is already stored changes nothing (a retry after a commit whose answer was lost is a replay).
 */
@ApplicationScoped
public class UsageWriter {

    private final Session session;
    private final CreditService credits;

    UsageWriter(Session session, CreditService credits) {
        this.session = session;
        this.credits = credits;
    }

    @Transactional
    public void write(UsageBatch batch) {
        boolean written = !session.createSelectionQuery("select 1 from UsageSessionEntity where batchKey = :key",
                        Integer.class).setParameter("key", batch.batchKey()).setMaxResults(1).getResultList().isEmpty();
        if (written) {
            return;
        }
        UsageSessionEntity row = new UsageSessionEntity();
        row.userId = batch.userId();
        row.clientId = batch.clientId();
        row.ip = batch.ip();
        row.startedAt = batch.startedAt();
        row.endedAt = batch.endedAt();
        row.durationSeconds = Duration.between(batch.startedAt(), batch.endedAt()).toSeconds();
        row.requests = batch.requests();
        row.tokensIn = batch.tokensIn();
        row.tokensOut = batch.tokensOut();
        row.gpuSeconds = batch.gpuSeconds();
        row.credits = batch.creditsMicros();
        row.batchKey = batch.batchKey();
        session.persist(row);
        if (batch.creditsMicros() > 0) {
            credits.chargeUsage(batch.userId(), batch.creditsMicros(), "usage " + batch.batchKey(),
                    "usage:" + batch.batchKey());
        }
    }
}
