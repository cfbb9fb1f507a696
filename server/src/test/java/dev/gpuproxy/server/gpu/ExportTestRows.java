package dev.gpuproxy.server.gpu;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/** Rows of the tables the account export reads that the GPU tests do not otherwise create. */
@ApplicationScoped
@Transactional
public class ExportTestRows {

    private final Session session;

    ExportTestRows(Session session) {
        this.session = session;
    }

    /** Replaces the user's usage rows by {@code count} new ones, each with {@code requests} = its position. */
    public void usage(long userId, int count) {
        session.createNativeMutationQuery("delete from usage_sessions where user_id = :user")
                .setParameter("user", userId).executeUpdate();
        Instant start = Instant.parse("2026-01-05T10:00:00Z");
        for (int i = 1; i <= count; i++) {
            session.createNativeMutationQuery("insert into usage_sessions (user_id, client_id, ip, started_at, ended_at,"
                            + " duration_s, requests, tokens_in, tokens_out, gpu_seconds, credits, batch_key)"
                            + " values (:user, 'cli', '203.0.113.9', :start, :end, 1, :n, 10, 20, 0, 5, :key)")
                    .setParameter("user", userId)
                    .setParameter("start", start.plusSeconds(i))
                    .setParameter("end", start.plusSeconds(i + 1))
                    .setParameter("n", (long) i)
                    .setParameter("key", "export-test-" + UUID.randomUUID())
                    .executeUpdate();
        }
    }

    /** A login session whose refresh token hash must never be exported. */
    public void session(long userId, String refreshTokenHash) {
        session.createNativeMutationQuery("delete from sessions where user_id = :user")
                .setParameter("user", userId).executeUpdate();
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        session.createNativeMutationQuery("insert into sessions (id, user_id, refresh_token_hash, ip, user_agent,"
                        + " created_at, expires_at) values (:id, :user, :hash, '198.51.100.4', 'curl/8.5', :now, :later)")
                .setParameter("id", UUID.randomUUID().toString())
                .setParameter("user", userId)
                .setParameter("hash", refreshTokenHash)
                .setParameter("now", now)
                .setParameter("later", now.plusSeconds(3600))
                .executeUpdate();
    }

    /** A card payment with metadata (which may hold a processor's client secret) that must stay out. */
    public void payment(long userId, String metadata) {
        session.createNativeMutationQuery("delete from payments where user_id = :user")
                .setParameter("user", userId).executeUpdate();
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        session.createNativeMutationQuery("insert into payments (user_id, provider, external_id, status, amount, currency,"
                        + " credits, metadata, created_at, updated_at) values (:user, 'stripe', :ext, 'succeeded', '20.00',"
                        + " 'USD', 20000000, :meta, :now, :now)")
                .setParameter("user", userId)
                .setParameter("ext", "cs_test_" + UUID.randomUUID())
                .setParameter("meta", metadata)
                .setParameter("now", now)
                .executeUpdate();
    }
}
