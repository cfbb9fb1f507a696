package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.Session;

/**
 * The seed product's quotas: at most {@code max_requests} requests and {@code max_gpu_seconds} of GPU time per day or
 * month (UTC). Usage so far is read from {@code usage_sessions} once per user every half minute and kept up to date in
 * memory from the usage meter, so a check does not touch the database on the request path. Across replicas the count
 * is at most half a minute behind.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class QuotaService {

    private static final Duration RELOAD_AFTER = Duration.ofSeconds(30);

    private final Session session;
    private final Clock clock;
    private final Map<Long, PeriodUsage> usage = new ConcurrentHashMap<>();

    QuotaService(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    /** Usage of one user in one quota period: what the database had at load, plus what was metered here since. */
    private static final class PeriodUsage {
        final Instant periodStart;
        final Instant loadedAt;
        final long storedRequests;
        final long storedGpuSeconds;
        long localRequests;
        long localGpuSeconds;

        PeriodUsage(Instant periodStart, Instant loadedAt, long storedRequests, long storedGpuSeconds) {
            this.periodStart = periodStart;
            this.loadedAt = loadedAt;
            this.storedRequests = storedRequests;
            this.storedGpuSeconds = storedGpuSeconds;
        }

        synchronized long requests() {
            return storedRequests + localRequests;
        }

        synchronized long gpuSeconds() {
            return storedGpuSeconds + localGpuSeconds;
        }

        synchronized void add(long requests, long gpuSeconds) {
            localRequests += requests;
            localGpuSeconds += gpuSeconds;
        }
    }

    /**
     * Refuses with 429 when the user has used up a quota of the current period.
     *
     * @param extraRequests requests about to be made (usually 1, or 0 to check GPU time only)
     */
    @Transactional
    public void check(UserSnapshot user, long extraRequests) {
        if (user.maxRequests() == null && user.maxGpuSeconds() == null) {
            return;
        }
        evaluate(user, current(user), extraRequests);
    }

    private void evaluate(UserSnapshot user, PeriodUsage current, long extraRequests) {
        Instant resetsAt = nextPeriodStart(user.quotaPeriod(), current.periodStart);
        long retryAfter = Math.max(1, Duration.between(clock.instant(), resetsAt).toSeconds());
        if (user.maxRequests() != null && current.requests() + extraRequests > user.maxRequests()) {
            throw exceeded("requests", user.maxRequests() + " requests per " + user.quotaPeriod(), resetsAt, retryAfter);
        }
        if (user.maxGpuSeconds() != null && current.gpuSeconds() >= user.maxGpuSeconds()) {
            throw exceeded("gpu_time", (user.maxGpuSeconds() / 3600.0) + " GPU hours per " + user.quotaPeriod(),
                    resetsAt, retryAfter);
        }
    }

    /**
     * The hot-path variant of {@link #check}: never touches the database on the caller's thread. When this replica has
     * no fresh count for the user yet, the count is loaded on a worker and this one request passes.
     */
    public void checkCached(UserSnapshot user, long extraRequests) {
        if (user.maxRequests() == null && user.maxGpuSeconds() == null) {
            return;
        }
        Instant now = clock.instant();
        PeriodUsage current = usage.get(user.id());
        if (current == null || !current.periodStart.equals(periodStart(user.quotaPeriod(), now))
                || current.loadedAt.plus(RELOAD_AFTER).isBefore(now)) {
            io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool().execute(() -> reload(user));
            if (current == null) {
                return;
            }
        }
        evaluate(user, current, extraRequests);
    }

    @Transactional
    void reload(UserSnapshot user) {
        Instant now = clock.instant();
        usage.put(user.id(), load(user.id(), periodStart(user.quotaPeriod(), now), now));
    }

    /** Counts metered usage towards the quotas of users this replica has loaded. */
    void count(UsageEvent event) {
        PeriodUsage current = usage.get(event.userId());
        if (current != null) {
            current.add(event.requests(), event.gpuSeconds());
        }
    }

    private PeriodUsage current(UserSnapshot user) {
        Instant now = clock.instant();
        Instant periodStart = periodStart(user.quotaPeriod(), now);
        PeriodUsage current = usage.get(user.id());
        if (current == null || !current.periodStart.equals(periodStart)
                || current.loadedAt.plus(RELOAD_AFTER).isBefore(now)) {
            current = load(user.id(), periodStart, now);
            usage.put(user.id(), current);
        }
        return current;
    }

    private PeriodUsage load(long userId, Instant periodStart, Instant now) {
        Object[] row = session.createSelectionQuery("select coalesce(sum(u.requests), 0), coalesce(sum(u.gpuSeconds), 0)"
                        + " from UsageSessionEntity u where u.userId = :userId and u.startedAt >= :since", Object[].class)
                .setParameter("userId", userId)
                .setParameter("since", periodStart)
                .getSingleResult();
        return new PeriodUsage(periodStart, now, ((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    static Instant periodStart(String period, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate start = "day".equals(period) ? today : today.withDayOfMonth(1);
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant nextPeriodStart(String period, Instant periodStart) {
        LocalDate start = periodStart.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate next = "day".equals(period) ? start.plusDays(1) : start.plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static ApiException exceeded(String quota, String limit, Instant resetsAt, long retryAfter) {
        return new ApiException(429, "quota_exceeded", "Quota of " + limit + " used up; it resets at " + resetsAt,
                Map.of("quota", quota, "resets_at", resetsAt.toString()),
                Map.of("Retry-After", String.valueOf(retryAfter)));
    }
}
