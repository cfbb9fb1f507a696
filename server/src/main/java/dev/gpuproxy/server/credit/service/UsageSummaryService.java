package dev.gpuproxy.server.credit.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.hibernate.Session;

/** Adds up a user's rows of {@code usage_sessions}. */
@ApplicationScoped
public class UsageSummaryService {

    private final Session session;

    UsageSummaryService(Session session) {
        this.session = session;
    }

    @Transactional
    public UsageSummary summarize(long userId) {
        Object[] row = session.createNativeQuery("""
                        select count(*), coalesce(sum(requests), 0), coalesce(sum(tokens_in), 0),
                               coalesce(sum(tokens_out), 0), coalesce(sum(gpu_seconds), 0), coalesce(sum(credits), 0),
                               min(started_at), max(ended_at)
                        from usage_sessions where user_id = :userId""", Object[].class)
                .setParameter("userId", userId)
                .getSingleResult();
        return new UsageSummary(userId, number(row[0]), number(row[1]), number(row[2]), number(row[3]),
                number(row[4]), number(row[5]), instant(row[6]), instant(row[7]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Number epochMillis) {
            return Instant.ofEpochMilli(epochMillis.longValue());
        }
        return Instant.parse(value.toString());
    }
}
