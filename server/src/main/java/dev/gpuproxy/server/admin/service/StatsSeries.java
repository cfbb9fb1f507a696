package dev.gpuproxy.server.admin.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/**
 * The admin overview's time series: 24 hourly buckets ending with the current hour, from the tables themselves
 * (usage sessions, the credit ledger, payments, users, keys, instances, reservations) plus this replica's upstream
 * traffic. Buckets are summed in the database with one portable query per table (a CASE per bucket), so PostgreSQL
 * and SQLite give the same answer without date functions of either dialect.
 */
@ApplicationScoped
public class StatsSeries {

    static final int BUCKETS = 24;
    static final Duration BUCKET = Duration.ofHours(1);

    private final Session session;
    private final TrafficSampler traffic;

    StatsSeries(Session session, TrafficSampler traffic) {
        this.session = session;
        this.traffic = traffic;
    }

    /** One processor's succeeded payments per bucket, in one currency. */
    public record RevenueSeries(String provider, String currency, List<BigDecimal> amounts) {}

    /**
     * Sums per bucket ({@code requests} .. {@code revenue}) and levels at each bucket's end, or at {@code now} for the
     * current one ({@code users} .. {@code active_reservations}). {@code start} holds each bucket's start.
     */
    public record Series(@JsonProperty("bucket_seconds") long bucketSeconds, List<Instant> start,
                         List<Long> requests,
                         @JsonProperty("upstream_requests") List<Long> upstreamRequests,
                         @JsonProperty("upstream_errors") List<Long> upstreamErrors,
                         @JsonProperty("credits_sold") List<BigDecimal> creditsSold,
                         @JsonProperty("credits_granted") List<BigDecimal> creditsGranted,
                         @JsonProperty("credits_spent") List<BigDecimal> creditsSpent,
                         List<RevenueSeries> revenue,
                         List<Long> users,
                         @JsonProperty("active_api_keys") List<Long> activeApiKeys,
                         @JsonProperty("live_instances") List<Long> liveInstances,
                         @JsonProperty("active_reservations") List<Long> activeReservations) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public Series last24Hours(Instant now) {
        Instant first = now.truncatedTo(ChronoUnit.HOURS).minus(BUCKET.multipliedBy(BUCKETS - 1));
        List<Instant> bounds = new ArrayList<>(BUCKETS + 1);
        for (int i = 0; i <= BUCKETS; i++) {
            bounds.add(first.plus(BUCKET.multipliedBy(i)));
        }
        // A level is read at each bucket's end; the current bucket has not ended, so its level is the one of now.
        List<Instant> ends = new ArrayList<>(BUCKETS);
        for (int i = 1; i <= BUCKETS; i++) {
            ends.add(bounds.get(i).isAfter(now) ? now : bounds.get(i));
        }

        List<Long> upstreamRequests = new ArrayList<>(BUCKETS);
        List<Long> upstreamErrors = new ArrayList<>(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            TrafficSampler.Counts counts = traffic.between(bounds.get(i), bounds.get(i + 1));
            upstreamRequests.add(counts.attempts());
            upstreamErrors.add(counts.errors());
        }

        Map<String, long[]> ledger = ledgerSums(bounds);
        return new Series(BUCKET.toSeconds(), List.copyOf(bounds.subList(0, BUCKETS)),
                asList(sums("UsageSessionEntity", "startedAt", "e.requests", "", bounds)),
                upstreamRequests, upstreamErrors,
                credits(ledger.get("topup"), 1), credits(ledger.get("grant"), 1), credits(ledger.get("usage"), -1),
                revenue(bounds),
                asList(levels("UserEntity", "e.createdAt < :t{i}", "", ends)),
                asList(levels("ApiKeyEntity", "e.createdAt < :t{i} and (e.revokedAt is null or e.revokedAt >= :t{i})"
                        + " and (e.expiresAt is null or e.expiresAt > :t{i})", "", ends)),
                asList(levels("GpuInstanceEntity", "e.createdAt < :t{i} and (e.endedAt is null or e.endedAt >= :t{i})",
                        "", ends)),
                // Failed reservations never held GPUs; released and expired ones did until they ended.
                asList(levels("ReservationEntity", "e.createdAt < :t{i} and (e.releasedAt is null or e.releasedAt >= :t{i})",
                        " where e.state in ('active', 'released', 'expired')", ends)));
    }

    /** Per bucket: the sum of {@code value} over rows whose {@code time} falls in it. */
    private long[] sums(String entity, String time, String value, String extraWhere, List<Instant> bounds) {
        StringBuilder hql = new StringBuilder("select ");
        for (int i = 0; i < BUCKETS; i++) {
            hql.append(i == 0 ? "" : ", ").append("coalesce(sum(case when e.").append(time).append(" >= :t").append(i)
                    .append(" and e.").append(time).append(" < :t").append(i + 1).append(" then ").append(value)
                    .append(" else 0 end), 0)");
        }
        hql.append(" from ").append(entity).append(" e where e.").append(time).append(" >= :t0 and e.").append(time)
                .append(" < :t").append(BUCKETS).append(extraWhere);
        SelectionQuery<Object[]> query = session.createSelectionQuery(hql.toString(), Object[].class);
        for (int i = 0; i <= BUCKETS; i++) {
            query.setParameter("t" + i, bounds.get(i));
        }
        return numbers(query.getSingleResult());
    }

    /** Per bucket end: how many rows satisfy {@code condition} (with {@code :t{i}} standing for that end). */
    private long[] levels(String entity, String condition, String where, List<Instant> ends) {
        StringBuilder hql = new StringBuilder("select ");
        for (int i = 0; i < BUCKETS; i++) {
            hql.append(i == 0 ? "" : ", ").append("coalesce(sum(case when ")
                    .append(condition.replace("{i}", String.valueOf(i))).append(" then 1 else 0 end), 0)");
        }
        hql.append(" from ").append(entity).append(" e").append(where);
        SelectionQuery<Object[]> query = session.createSelectionQuery(hql.toString(), Object[].class);
        for (int i = 0; i < BUCKETS; i++) {
            query.setParameter("t" + i, ends.get(i));
        }
        return numbers(query.getSingleResult());
    }

    /** Ledger sums per bucket for the kinds the overview shows: topup (sold), grant, usage (spent). */
    private Map<String, long[]> ledgerSums(List<Instant> bounds) {
        Map<String, long[]> result = new TreeMap<>();
        for (String kind : List.of("topup", "grant", "usage")) {
            result.put(kind, sums("LedgerEntryEntity", "createdAt", "e.amount", " and e.kind = '" + kind + "'", bounds));
        }
        return result;
    }

    /** Succeeded payments per processor and currency; amounts are exact decimal strings, so they are added here. */
    private List<RevenueSeries> revenue(List<Instant> bounds) {
        Map<String, BigDecimal[]> amounts = new TreeMap<>();
        List<Object[]> rows = session.createSelectionQuery("select p.provider, p.currency, p.amount, p.createdAt"
                        + " from PaymentEntity p where p.status = 'succeeded' and p.createdAt >= :from and p.createdAt < :to",
                        Object[].class)
                .setParameter("from", bounds.get(0))
                .setParameter("to", bounds.get(BUCKETS))
                .getResultList();
        for (Object[] row : rows) {
            Instant at = (Instant) row[3];
            int bucket = (int) (Duration.between(bounds.get(0), at).toSeconds() / BUCKET.toSeconds());
            BigDecimal[] series = amounts.computeIfAbsent(row[0] + "\u0000" + row[1], k -> zeros());
            series[bucket] = series[bucket].add(new BigDecimal((String) row[2]));
        }
        List<RevenueSeries> result = new ArrayList<>();
        amounts.forEach((key, series) -> {
            String[] parts = key.split("\u0000");
            result.add(new RevenueSeries(parts[0], parts[1], List.of(series)));
        });
        return result;
    }

    private static BigDecimal[] zeros() {
        BigDecimal[] zeros = new BigDecimal[BUCKETS];
        Arrays.fill(zeros, BigDecimal.ZERO);
        return zeros;
    }

    private static List<BigDecimal> credits(long[] micros, int sign) {
        List<BigDecimal> result = new ArrayList<>(BUCKETS);
        for (long m : micros) {
            result.add(Credits.toDecimal(sign * m));
        }
        return result;
    }

    private static long[] numbers(Object[] row) {
        long[] result = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            result[i] = row[i] == null ? 0 : ((Number) row[i]).longValue();
        }
        return result;
    }

    private static List<Long> asList(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
