package dev.gpuproxy.server.admin.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.Session;

/** The operator's overview, computed from the data as it is: accounts, keys, GPUs, usage, credits and revenue. */
@ApplicationScoped
public class PlatformStats {

    private final Session session;
    private final Clock clock;
    private final StatsSeries series;
    private final TrafficSampler traffic;

    PlatformStats(Session session, Clock clock, StatsSeries series, TrafficSampler traffic) {
        this.session = session;
        this.clock = clock;
        this.series = series;
        this.traffic = traffic;
    }

    public record Users(long total, long admins, long active) {}

    public record Instances(long running, @JsonProperty("by_state") Map<String, Long> byState,
                            @JsonProperty("running_by_provider") Map<String, Long> runningByProvider) {}

    public record Usage(long requests, @JsonProperty("tokens_in") long tokensIn,
                        @JsonProperty("tokens_out") long tokensOut, @JsonProperty("gpu_seconds") long gpuSeconds,
                        BigDecimal credits) {}

    public record CreditTotals(BigDecimal sold, BigDecimal granted, BigDecimal spent, BigDecimal refunded) {}

    public record Revenue(String provider, String currency, BigDecimal amount, long payments) {}

    /**
     * Recent traffic: metered requests (all replicas, from usage_sessions) and upstream attempts and errors (this
     * replica's balancer since {@code upstream_since}) over the last {@code window_seconds}. {@code error_rate} is
     * errors per attempt (0..1), null without attempts.
     */
    public record Traffic(@JsonProperty("window_seconds") long windowSeconds, long requests,
                          @JsonProperty("requests_per_minute") BigDecimal requestsPerMinute,
                          @JsonProperty("upstream_requests") long upstreamRequests,
                          @JsonProperty("upstream_errors") long upstreamErrors,
                          @JsonProperty("error_rate") BigDecimal errorRate,
                          @JsonProperty("upstream_since") Instant upstreamSince) {}

    public record Stats(Users users, @JsonProperty("active_api_keys") long activeApiKeys, Instances instances,
                        @JsonProperty("active_reservations") long activeReservations,
                        @JsonProperty("usage_24h") Usage usage24h, Usage usage, CreditTotals credits,
                        List<Revenue> revenue, Traffic traffic, StatsSeries.Series series,
                        @JsonProperty("generated_at") Instant generatedAt) {}

    /** The window of the per-minute rates. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(5);

    @Transactional
    public Stats compute() {
        traffic.sample();
        Instant now = clock.instant();
        Object[] users = row("select count(*), coalesce(sum(case when role = 'admin' then 1 else 0 end), 0),"
                + " coalesce(sum(case when active then 1 else 0 end), 0) from users");
        long activeKeys = number(session.createSelectionQuery("select count(k) from ApiKeyEntity k where"
                        + " k.revokedAt is null and (k.expiresAt is null or k.expiresAt > :now)", Long.class)
                .setParameter("now", now).getSingleResult());
        Map<String, Long> byState = new TreeMap<>();
        Map<String, Long> runningByProvider = new TreeMap<>();
        for (Object[] r : rows("select provider, state, count(*) from instances group by provider, state")) {
            byState.merge((String) r[1], number(r[2]), Long::sum);
            if ("running".equals(r[1])) {
                runningByProvider.merge((String) r[0], number(r[2]), Long::sum);
            }
        }
        long activeReservations = number(row("select count(*) from reservations where state = 'active'")[0]);
        Map<String, Long> ledger = new LinkedHashMap<>();
        for (Object[] r : rows("select kind, coalesce(sum(amount), 0) from ledger_entries group by kind")) {
            ledger.put((String) r[0], number(r[1]));
        }
        CreditTotals credits = new CreditTotals(Credits.toDecimal(ledger.getOrDefault("topup", 0L)),
                Credits.toDecimal(ledger.getOrDefault("grant", 0L)),
                Credits.toDecimal(-ledger.getOrDefault("usage", 0L)),
                Credits.toDecimal(Math.max(0, -ledger.getOrDefault("adjustment", 0L))));
        return new Stats(new Users(number(users[0]), number(users[1]), number(users[2])), activeKeys,
                new Instances(byState.getOrDefault("running", 0L), byState, runningByProvider), activeReservations,
                usageSince(now.minus(Duration.ofHours(24))), usageSince(Instant.EPOCH), credits, revenue(),
                traffic(now), series.last24Hours(now), now);
    }

    private Traffic traffic(Instant now) {
        Instant since = now.minus(RATE_WINDOW);
        long requests = usageSince(since).requests();
        TrafficSampler.Counts upstream = traffic.between(since, now);
        BigDecimal perMinute = BigDecimal.valueOf(requests)
                .divide(BigDecimal.valueOf(RATE_WINDOW.toMinutes()), 2, RoundingMode.HALF_UP).stripTrailingZeros();
        BigDecimal errorRate = upstream.attempts() == 0 ? null
                : BigDecimal.valueOf(upstream.errors())
                        .divide(BigDecimal.valueOf(upstream.attempts()), 4, RoundingMode.HALF_UP).stripTrailingZeros();
        return new Traffic(RATE_WINDOW.toSeconds(), requests, perMinute.scale() < 0 ? perMinute.setScale(0) : perMinute,
                upstream.attempts(), upstream.errors(),
                errorRate == null || errorRate.scale() >= 0 ? errorRate : errorRate.setScale(0),
                traffic.countingSince());
    }

    private Usage usageSince(Instant since) {
        Object[] r = session.createSelectionQuery("select count(u), coalesce(sum(u.requests), 0),"
                        + " coalesce(sum(u.tokensIn), 0), coalesce(sum(u.tokensOut), 0), coalesce(sum(u.gpuSeconds), 0),"
                        + " coalesce(sum(u.credits), 0) from UsageSessionEntity u where u.startedAt >= :since",
                        Object[].class)
                .setParameter("since", since)
                .getSingleResult();
        return new Usage(number(r[1]), number(r[2]), number(r[3]), number(r[4]), Credits.toDecimal(number(r[5])));
    }

    /** Succeeded payments per processor and currency (amounts are exact decimal strings, added up here). */
    private List<Revenue> revenue() {
        Map<String, BigDecimal> amounts = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (Object[] r : rows("select provider, currency, amount from payments where status = 'succeeded'")) {
            String key = r[0] + "\u0000" + r[1];
            amounts.merge(key, new BigDecimal((String) r[2]), BigDecimal::add);
            counts.merge(key, 1L, Long::sum);
        }
        List<Revenue> revenue = new ArrayList<>();
        amounts.forEach((key, amount) -> {
            String[] parts = key.split("\u0000");
            revenue.add(new Revenue(parts[0], parts[1], amount, counts.get(key)));
        });
        return revenue;
    }

    private Object[] row(String sql) {
        List<Object[]> result = rows(sql);
        return result.get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql) {
        List<?> result = session.createNativeQuery(sql, Object[].class).getResultList();
        return (List<Object[]>) result;
    }

    private static long number(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return value == null ? 0 : ((Number) value).longValue();
    }
}
