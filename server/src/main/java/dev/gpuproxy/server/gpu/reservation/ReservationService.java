package dev.gpuproxy.server.gpu.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.server.cluster.service.SingletonJob;
import dev.gpuproxy.server.cluster.service.SingletonJobs;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import dev.gpuproxy.server.config.LbConfig;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.Credits;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.repository.ReservationEntity;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import dev.gpuproxy.server.gpu.service.OfferFilter;
import dev.gpuproxy.server.gpu.service.OfferListing;
import dev.gpuproxy.server.gpu.service.OfferService;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reserving 1..16 GPUs in one call: offers across providers spread over hosts, the first hour of all of them checked
 * against the wallet up front, launches in parallel (at most {@link #PARALLEL_LAUNCHES} at a time) with a failed
 * launch retried on the next-best spare offer, and all-or-nothing rollback. The reserved instances become the backends
 * of the tenant's private pool {@code reservation-<id>} once they run; the reservation expires and releases itself
 * when given a lifetime.
 */
@ApplicationScoped
public class ReservationService {

    public static final int MAX_COUNT = 16;
    static final int PARALLEL_LAUNCHES = 8;
    /** Attempts per requested GPU: the chosen offer and up to two spares. */
    static final int ATTEMPTS_PER_SLOT = 3;

    private final OfferService offers;
    private final GpuInstanceService instances;
    private final ReservationRecords records;
    private final CreditService credits;
    private final PoolRegistry pools;
    private final LbConfig lb;
    private final BigDecimal microsPerUsd;
    private final Clock clock;
    private final ObjectMapper json;
    private final SingletonJobs singletons;
    private final ExecutorService launcher = Executors.newFixedThreadPool(PARALLEL_LAUNCHES, r -> {
        Thread t = new Thread(r, "gpu-reservation-launch");
        t.setDaemon(true);
        return t;
    });

    ReservationService(OfferService offers, GpuInstanceService instances, ReservationRecords records,
                       CreditService credits, PoolRegistry pools, LbConfig lb, BillingConfig billing, Clock clock,
                       ObjectMapper json, SingletonJobs singletons) {
        this.singletons = singletons;
        this.offers = offers;
        this.instances = instances;
        this.records = records;
        this.credits = credits;
        this.pools = pools;
        this.lb = lb;
        this.microsPerUsd = billing.creditsPerUsd().movePointRight(Credits.SCALE);
        this.clock = clock;
        this.json = json;
    }

    @PreDestroy
    void stop() {
        launcher.shutdownNow();
    }

    /** Which offers qualify; all optional. */
    public record Filters(Double minVramGb, BigDecimal maxPrice, String gpuModel, String location,
                          List<String> providers) {}

    /**
     * One reservation request.
     *
     * @param lifetime from duration_minutes and X-Timelimit (the shorter wins); null = until released
     * @param model    model name the tenant's requests use to reach the reserved instances (pool alias); optional
     */
    public record Command(int count, Filters filters, LaunchSpec launch, String strategy, Duration lifetime,
                          boolean allOrNothing, String model) {}

    /** One launched instance of a reservation. */
    public record Reserved(long instanceId, String contractId, String provider, String gpuModel, Integer vram,
                           BigDecimal price, String state, String endpoint) {

        static Reserved of(GpuInstance i) {
            return new Reserved(i.id(), i.providerInstanceId(), i.provider(), i.gpuModel(), i.vramGb(),
                    i.pricePerHour(), i.state(), i.endpoint());
        }

        static Reserved of(GpuInstanceEntity i) {
            return new Reserved(i.id, i.providerInstanceId, i.provider, i.gpuModel, i.vramGb,
                    BigDecimal.valueOf(i.pricePerHourMicros, 6).stripTrailingZeros(), i.state, i.endpoint);
        }
    }

    /** A reservation as the API shows it. */
    public record Reservation(long id, String state, String strategy, String pool, String model, int requested,
                              List<Reserved> reserved, List<String> errors, boolean allOrNothing, Instant createdAt,
                              Instant expiresAt, Instant releasedAt) {}

    private record Attempt(Reserved reserved, List<String> errors, boolean paymentRefused) {}

    /**
     * Reserves {@code command.count()} GPUs for a tenant.
     *
     * @throws ApiException 409 {@code not_enough_offers} (with what is available), 402 when the wallet cannot pay the
     *                      first hour, 502 {@code reservation_failed} after an all-or-nothing rollback
     */
    public Reservation reserve(long userId, Command command) {
        if (command.count() < 1 || command.count() > MAX_COUNT) {
            throw ApiException.badRequest("count must be between 1 and " + MAX_COUNT);
        }
        String strategy = command.strategy() == null ? lb.strategy() : Strategy.named(command.strategy()).apiName();
        List<Offer> ordered = OfferSpread.order(candidates(command.filters()));
        if (ordered.isEmpty() || (ordered.size() < command.count() && command.allOrNothing())) {
            throw notEnough(command.count(), ordered);
        }
        int take = Math.min(command.count(), ordered.size());
        List<Offer> chosen = ordered.subList(0, take);
        Queue<Offer> spares = new ConcurrentLinkedQueue<>(ordered.subList(take, ordered.size()));
        Instant now = now();
        ReservationEntity reservation = records.open(userId, command.count(), strategy, command.strategy() != null,
                command.allOrNothing(), describe(command), command.model(), now);
        long id = reservation.id;
        long firstHour = chosen.stream().mapToLong(o -> cost(o.pricePerHour())).sum();
        String holdKey = "reservation-hold:" + id;
        try {
            // The whole first hour is checked up front, so a tenant who cannot pay gets 402 before anything is rented.
            // Each launched instance then holds its own first hour (GpuTimeBilling), so this hold is returned first.
            if (firstHour > 0) {
                credits.reserve(userId, firstHour, "Reservation " + id + ": first hour of " + take + " GPU(s)", holdKey);
                records.holdRecorded(id, firstHour);
                credits.releaseByKey(userId, holdKey);
            }
        } catch (RuntimeException e) {
            records.end(id, "failed", now());
            throw e;
        }

        List<CompletableFuture<Attempt>> launches = new ArrayList<>();
        for (Offer offer : chosen) {
            launches.add(CompletableFuture.supplyAsync(() -> launch(userId, id, offer, spares, command.launch()),
                    launcher));
        }
        List<Reserved> reserved = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean paymentRefused = false;
        int failedSlots = 0;
        for (CompletableFuture<Attempt> launch : launches) {
            Attempt attempt = launch.join();
            errors.addAll(attempt.errors());
            paymentRefused |= attempt.paymentRefused();
            if (attempt.reserved() != null) {
                reserved.add(attempt.reserved());
            } else {
                failedSlots++;
            }
        }
        if (failedSlots > 0 && (command.allOrNothing() || reserved.isEmpty())) {
            List<Long> rolledBack = rollback(userId, reserved, errors);
            records.end(id, "failed", now());
            pools.refreshNowAndAfterCommit();
            Log.infof("Reservation %d of user %d failed (%d of %d launched, rolled back): %s", id, userId,
                    reserved.size(), take, errors);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reservation_id", id);
            details.put("requested", command.count());
            details.put("errors", errors);
            details.put("rolled_back", rolledBack);
            throw new ApiException(paymentRefused ? 402 : 502, paymentRefused ? "insufficient_credits"
                    : "reservation_failed", failedSlots + " of " + take + " GPU(s) could not be launched"
                    + (command.allOrNothing() ? "; the " + rolledBack.size() + " launched were released" : ""),
                    details, Map.of());
        }
        Instant expires = command.lifetime() == null ? null : now().plus(command.lifetime());
        records.activate(id, expires);
        syncBackends();
        Log.infof("Reservation %d of user %d: %d of %d GPU(s) launched", id, userId, reserved.size(), command.count());
        return view(userId, id, errors).orElseThrow();
    }

    /** One requested GPU: its offer, then spares while attempts remain; a payment refusal is not retried. */
    private Attempt launch(long userId, long reservationId, Offer first, Queue<Offer> spares, LaunchSpec spec) {
        List<String> errors = new ArrayList<>();
        Offer offer = first;
        for (int attempt = 1; offer != null && attempt <= ATTEMPTS_PER_SLOT; attempt++) {
            try {
                GpuInstance instance = instances.rent(userId, offer.provider(), offer.id(), spec);
                records.attach(instance.id(), reservationId);
                return new Attempt(Reserved.of(instance), errors, false);
            } catch (ApiException e) {
                errors.add(offer.provider() + " offer " + offer.id() + ": " + e.detail());
                if (e.status() == 402) {
                    return new Attempt(null, errors, true);
                }
            } catch (RuntimeException e) {
                Log.warnf(e, "Reservation %d: launching %s offer %s failed", reservationId, offer.provider(),
                        offer.id());
                errors.add(offer.provider() + " offer " + offer.id() + ": " + e.getMessage());
            }
            offer = spares.poll();
        }
        return new Attempt(null, errors, false);
    }

    private List<Long> rollback(long userId, List<Reserved> launched, List<String> errors) {
        List<Long> released = new ArrayList<>();
        for (Reserved r : launched) {
            try {
                instances.release(userId, r.provider(), r.contractId());
                released.add(r.instanceId());
            } catch (RuntimeException e) {
                Log.errorf(e, "Rolling back instance %d (%s %s) failed; it may still be running", r.instanceId(),
                        r.provider(), r.contractId());
                errors.add("rollback of instance " + r.instanceId() + " failed: " + e.getMessage());
            }
        }
        return released;
    }

    /** Available offers matching the filters, cheapest first, across the named (or all) providers. */
    private List<Offer> candidates(Filters f) {
        List<String> providers = f == null || f.providers() == null || f.providers().isEmpty()
                ? Collections.singletonList(null) : f.providers();
        List<Offer> all = new ArrayList<>();
        for (String provider : providers) {
            OfferFilter filter = OfferFilter.parse(provider,
                    f == null || f.minVramGb() == null ? null : String.valueOf(f.minVramGb()),
                    f == null || f.maxPrice() == null ? null : f.maxPrice().toPlainString(),
                    f == null ? null : f.gpuModel(), f == null ? null : f.location(), null, "price",
                    String.valueOf(OfferFilter.MAX_LIMIT), "0");
            OfferListing listing = offers.list(filter);
            listing.offers().stream().filter(Offer::available).forEach(all::add);
        }
        all.sort(java.util.Comparator.comparing(Offer::pricePerHour).thenComparing(o -> -o.reliability()));
        return all;
    }

    private static ApiException notEnough(int requested, List<Offer> available) {
        List<Map<String, Object>> offers = available.stream().limit(50).map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", o.provider());
            m.put("offer_id", o.id());
            m.put("gpu_model", o.gpuName());
            m.put("vram", o.vramGb());
            m.put("price", o.pricePerHour());
            m.put("host_id", o.hostId());
            return m;
        }).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requested", requested);
        details.put("available", available.size());
        details.put("offers", offers);
        return new ApiException(409, "not_enough_offers", "Only " + available.size() + " matching offer(s) are"
                + " available for " + requested + " requested GPU(s); relax the filters or ask for fewer", details,
                Map.of());
    }

    /** The tenant's reservations, newest first. */
    public List<Reservation> list(long userId) {
        return records.listOwned(userId).stream().map(r -> view(r, List.of())).toList();
    }

    /** One of the tenant's reservations; another tenant's is a 404. */
    public Reservation get(long userId, long id) {
        return view(userId, id, List.of()).orElseThrow(() -> notFound(id));
    }

    /** Releases every live instance of the reservation and removes its pool; releasing twice answers the same. */
    public Reservation release(long userId, long id) {
        ReservationEntity r = records.findOwned(userId, id).orElseThrow(() -> notFound(id));
        return end(r, "released");
    }

    private Reservation end(ReservationEntity r, String state) {
        if (r.releasedAt != null) {
            return view(r, List.of());
        }
        List<String> errors = new ArrayList<>();
        for (GpuInstanceEntity i : records.instances(r.id)) {
            if (i.endedAt != null) {
                continue;
            }
            try {
                instances.release(r.userId, i.provider, i.providerInstanceId);
            } catch (RuntimeException e) {
                Log.errorf(e, "Releasing instance %d of reservation %d failed", i.id, r.id);
                errors.add("instance " + i.id + ": " + e.getMessage());
            }
        }
        Instant now = now();
        records.end(r.id, state, now);
        pools.refreshNowAndAfterCommit();
        Log.infof("Reservation %d of user %d %s", r.id, r.userId, state);
        // The row read at the start of this request may be cached in the request's session: show what was written.
        r.state = state;
        r.releasedAt = now;
        r.poolId = null;
        return view(r, errors);
    }

    /** Releases every reservation whose lifetime is over; called by the scheduler and by tests. */
    public int expireDue() {
        int expired = 0;
        for (ReservationEntity r : records.due(now())) {
            try {
                end(r, "expired");
                expired++;
            } catch (RuntimeException e) {
                Log.errorf(e, "Expiring reservation %d failed; tried again next round", r.id);
            }
        }
        return expired;
    }

    /** Makes the private pools follow their instances (running with an endpoint = backend); refreshes routing. */
    public void syncBackends() {
        if (records.syncBackends(now())) {
            pools.refreshNowAndAfterCommit();
        }
    }

    @Scheduled(every = "${reservation.interval:${RESERVATION_INTERVAL:15s}}", identity = "gpu-reservations",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (!singletons.holds(SingletonJob.RESERVATIONS)) {
            return;
        }
        expireDue();
        syncBackends();
    }

    private java.util.Optional<Reservation> view(long userId, long id, List<String> errors) {
        return records.findOwned(userId, id).map(r -> view(r, errors));
    }

    private Reservation view(ReservationEntity r, List<String> errors) {
        List<Reserved> reserved = records.instances(r.id).stream().map(Reserved::of).toList();
        return new Reservation(r.id, r.state, r.strategy, r.poolId == null ? null : ReservationRecords.poolName(r.id),
                r.model, r.requested, reserved, errors, r.allOrNothing, r.createdAt, r.expiresAt, r.releasedAt);
    }

    /** Micro-credits for one hour at {@code pricePerHour} US dollars. */
    private long cost(BigDecimal pricePerHour) {
        return pricePerHour.multiply(microsPerUsd).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The request as stored: filters and launch settings, environment variable names only. */
    private String describe(Command c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", c.count());
        m.put("filters", c.filters());
        m.put("image", c.launch().image());
        m.put("ports", c.launch().ports());
        m.put("env", c.launch().env() == null ? List.of() : List.copyOf(c.launch().env().keySet()));
        m.put("lifetime_seconds", c.lifetime() == null ? null : c.lifetime().toSeconds());
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("You have no reservation " + id);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

}
