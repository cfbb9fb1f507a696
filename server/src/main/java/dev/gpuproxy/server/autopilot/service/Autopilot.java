package dev.gpuproxy.server.autopilot.service;

import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.server.cluster.service.SingletonJob;
import dev.gpuproxy.server.cluster.service.SingletonJobs;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.AutopilotConfig;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import dev.gpuproxy.server.gpu.service.OfferFilter;
import dev.gpuproxy.server.gpu.service.OfferService;
import dev.gpuproxy.server.gpu.service.OfferSort;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.AutoscaleSpec;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rents and releases GPUs for pools that declare {@code autoscale}. One replica decides at a time (the
 * {@link SingletonJob#AUTOPILOT} lease); each round, per pool: rentals whose instance ended or was lost at the provider
 * are closed, GPUs that died while serving or never became ready within {@code cold_start_timeout} are released, then
 * {@link ScalingDecider} says whether to rent (cheapest eligible offer of the pool's providers first) or release one
 * idle GPU. Renting and releasing go through the ordinary instance service, so every rental is recorded, polled and
 * charged like a tenant's own: to the pool's owner, or for a global pool to the operator account.
 */
@ApplicationScoped
public class Autopilot {

    private final PoolRegistry registry;
    private final Rentals rentals;
    private final Membership membership;
    private final CapacityWaiters waiters;
    private final DecisionJournal journal;
    private final GpuInstanceService instances;
    private final OfferService offers;
    private final SingletonJobs singletons;
    private final Clock clock;
    /** When each pool last rented, so the cooldown holds even before the rental row is read back. */
    private final Map<String, Instant> lastRental = new ConcurrentHashMap<>();
    /** GPUs each pool lost since its last rental: the next rental is their replacement. */
    private final Map<String, Integer> lostSinceRental = new ConcurrentHashMap<>();
    /** False once a round found no autoscaled pool and no rental: rounds are skipped until a pool autoscales. */
    private volatile boolean active = true;

    Autopilot(PoolRegistry registry, Rentals rentals, Membership membership, CapacityWaiters waiters,
              DecisionJournal journal, GpuInstanceService instances, OfferService offers, SingletonJobs singletons,
              Clock clock, AutopilotConfig config) {
        this.registry = registry;
        this.rentals = rentals;
        this.membership = membership;
        this.waiters = waiters;
        this.journal = journal;
        this.instances = instances;
        this.offers = offers;
        this.singletons = singletons;
        this.clock = clock;
    }

    @Scheduled(every = "${autopilot.interval:${AUTOPILOT_INTERVAL:2s}}", identity = "autopilot",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        boolean anyPool = !registry.autoscaledPools().isEmpty();
        if (!(anyPool || active) || !singletons.holds(SingletonJob.AUTOPILOT)) {
            return;
        }
        roundOnce();
        active = anyPool;
    }

    /** One decision per autoscaled pool; one pool's trouble never stops the others. */
    public void roundOnce() {
        releaseOrphans();
        for (Pool pool : registry.autoscaledPools()) {
            Optional<AutoscaleSpec> spec = registry.autoscale(pool);
            if (spec.isEmpty()) {
                continue;
            }
            try {
                steer(pool, spec.get());
            } catch (RuntimeException e) {
                Log.errorf(e, "Autopilot: pool %s", pool.name());
                journal.note(key(pool), clock.instant(), "error", e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /** GPUs rented for a pool that no longer autoscales (or no longer exists) are released. */
    private void releaseOrphans() {
        java.util.Set<String> autoscaled = new java.util.HashSet<>();
        registry.autoscaledPools().forEach(pool -> autoscaled.add(key(pool.name(), pool.ownerUserId())));
        for (Rental rental : rentals.liveAll()) {
            if (!autoscaled.contains(key(rental.poolName(), rental.ownerUserId()))) {
                membership.leave(rental.instanceId(), "its pool no longer autoscales");
                try {
                    instances.release(rental.payerUserId(), rental.provider(), rental.providerInstanceId());
                    rentals.ended(rental.instanceId(), "pool " + rental.poolName() + " no longer autoscales");
                    Log.infof("Autopilot: released GPU %d: pool %s no longer autoscales", rental.instanceId(),
                            rental.poolName());
                } catch (ApiException e) {
                    Log.warnf("Autopilot: releasing GPU %d of former pool %s failed: %s", rental.instanceId(),
                            rental.poolName(), e.getMessage());
                }
            }
        }
    }

    private void steer(Pool pool, AutoscaleSpec spec) {
        Instant now = clock.instant();
        List<ScalingDecider.ReadyGpu> ready = new ArrayList<>();
        int starting = 0;
        int lost = 0;
        Instant newest = lastRental.get(key(pool));
        for (Rental rental : rentals.live(pool)) {
            newest = newest == null || rental.createdAt().isAfter(newest) ? rental.createdAt() : newest;
            if (rental.instanceEnded()) {
                membership.leave(rental.instanceId(), "its instance ended");
                rentals.ended(rental.instanceId(), "instance " + rental.state() + " at " + rental.provider()
                        + " (preempted or destroyed there)");
                journal.note(key(pool), now, "lost", "GPU " + rental.instanceId() + " ended at " + rental.provider());
                lost++;
            } else if (rental.lostAtProvider() || membership.dead(rental.instanceId())) {
                String why = rental.lostAtProvider() ? rental.provider() + " reports it " + rental.state()
                        : "it stopped answering " + spec.readiness();
                release(pool, rental, "lost", "GPU " + rental.instanceId() + " lost: " + why);
                lost++;
            } else if (membership.serving(rental.instanceId())) {
                ready.add(readyGpu(pool, rental));
            } else if (rental.createdAt().plus(spec.coldStartLimit()).isBefore(now)) {
                release(pool, rental, "release", "GPU " + rental.instanceId() + " not ready within cold_start_timeout "
                        + spec.coldStartLimit().toMillis() + " ms");
            } else {
                starting++;
            }
        }
        int inFlight = pool.backends().stream().mapToInt(Backend::inFlight).sum();
        ScalingDecider.PoolLoad load = new ScalingDecider.PoolLoad(ready, starting, inFlight, waiters.waiting(pool),
                newest);
        ScalingDecider.Decision decision = ScalingDecider.decide(limits(spec), load, now);
        if (lost > 0) {
            lostSinceRental.merge(key(pool), lost, Integer::sum);
        }
        if (decision instanceof ScalingDecider.Decision.Rent rent) {
            int replacing = lostSinceRental.getOrDefault(key(pool), 0);
            String reason = replacing > 0 ? "replacing " + replacing + " lost GPU(s); " + rent.reason() : rent.reason();
            for (int i = 0; i < rent.count(); i++) {
                if (!rentOne(pool, spec, reason)) {
                    break;
                }
            }
        } else if (decision instanceof ScalingDecider.Decision.Release release) {
            for (Rental rental : rentals.live(pool)) {
                if (rental.instanceId() == release.instanceId()) {
                    release(pool, rental, "release", release.reason());
                }
            }
        } else {
            journal.note(key(pool), now, "hold", decision.reason());
        }
    }

    private ScalingDecider.ReadyGpu readyGpu(Pool pool, Rental rental) {
        long backendId = Membership.BACKEND_ID_BASE - rental.instanceId();
        Optional<Backend> backend = pool.backends().stream().filter(b -> b.id() == backendId).findFirst();
        Instant joined = membership.joinedAt(rental.instanceId()).orElse(clock.instant());
        Instant idleSince = joined;
        int inFlight = 0;
        if (backend.isPresent()) {
            inFlight = backend.get().inFlight();
            long lastUsed = backend.get().lastUsedNanos();
            if (lastUsed != 0) {
                Instant used = clock.instant().minusNanos(System.nanoTime() - lastUsed);
                idleSince = used.isAfter(joined) ? used : joined;
            }
        }
        return new ScalingDecider.ReadyGpu(rental.instanceId(), inFlight, idleSince);
    }

    /** Rents the cheapest eligible offer; @return whether a GPU was rented. */
    private boolean rentOne(Pool pool, AutoscaleSpec spec, String reason) {
        Instant now = clock.instant();
        Optional<Long> payer = rentals.payer(pool);
        if (payer.isEmpty()) {
            journal.note(key(pool), now, "error", "no account pays for global pool " + pool.name()
                    + ": create an admin or set AUTOPILOT_OPERATOR_EMAIL");
            return false;
        }
        List<Offer> candidates = eligibleOffers(spec);
        if (candidates.isEmpty()) {
            journal.note(key(pool), now, "hold", "wanted a GPU (" + reason + "), but no offer of " + spec.provider()
                    + " matches " + describe(spec.offer()));
            return false;
        }
        for (Offer offer : candidates) {
            try {
                GpuInstance rented = instances.rent(payer.get(), offer.provider(), offer.id(), launchSpec(pool, spec));
                rentals.opened(rented.id(), pool, reason);
                lastRental.put(key(pool), now);
                lostSinceRental.remove(key(pool));
                journal.note(key(pool), now, "rent", "GPU " + rented.id() + " (" + offer.provider() + " offer "
                        + offer.id() + ", " + offer.gpuName() + ", $" + offer.pricePerHour().toPlainString()
                        + "/h): " + reason);
                Log.infof("Autopilot: rented %s offer %s as GPU %d for pool %s: %s", offer.provider(), offer.id(),
                        rented.id(), pool.name(), reason);
                return true;
            } catch (ApiException e) {
                if (e.status() == 409 || e.status() == 502 || e.status() == 503 || e.status() == 504) {
                    // Taken meanwhile, or this provider is struggling: the next offer may still work.
                    Log.infof("Autopilot: offer %s of %s not rented: %s", offer.id(), offer.provider(), e.getMessage());
                    continue;
                }
                journal.note(key(pool), now, "error", "renting for pool " + pool.name() + " refused: " + e.getMessage());
                return false;
            }
        }
        journal.note(key(pool), now, "error", "every eligible offer was taken or failed; trying again next round");
        return false;
    }

    private List<Offer> eligibleOffers(AutoscaleSpec spec) {
        AutoscaleSpec.OfferDecl want = spec.offer() == null ? new AutoscaleSpec.OfferDecl(null, null, null) : spec.offer();
        List<Offer> all = new ArrayList<>();
        for (String provider : spec.provider()) {
            try {
                all.addAll(offers.list(new OfferFilter(provider, want.minVram(), want.maxPrice(), want.gpuModel(), null,
                        null, OfferSort.PRICE, 20, 0)).offers());
            } catch (ApiException e) {
                Log.warnf("Autopilot: offers of %s cannot be listed: %s", provider, e.getMessage());
            }
        }
        return all.stream().filter(Offer::available).sorted(Comparator.comparing(Offer::pricePerHour)).toList();
    }

    private static LaunchSpec launchSpec(Pool pool, AutoscaleSpec spec) {
        LaunchSpec.Builder launch = LaunchSpec.builder(spec.launch().image()).port(spec.port())
                .label("gpuproxy-autoscale:" + pool.name());
        if (spec.launch().env() != null) {
            spec.launch().env().forEach(launch::env);
        }
        if (spec.launch().args() != null && !spec.launch().args().isBlank()) {
            // The provider SPI has no argument list yet: the container reads its arguments from ARGS.
            launch.env("ARGS", spec.launch().args());
        }
        return launch.build();
    }

    private void release(Pool pool, Rental rental, String action, String reason) {
        // Out of the pool first, so no new request goes to a GPU on its way out.
        membership.leave(rental.instanceId(), reason);
        try {
            instances.release(rental.payerUserId(), rental.provider(), rental.providerInstanceId());
        } catch (ApiException e) {
            journal.note(key(pool), clock.instant(), "error", "releasing GPU " + rental.instanceId() + " failed ("
                    + e.getMessage() + "); trying again next round");
            return;
        }
        rentals.ended(rental.instanceId(), reason);
        journal.note(key(pool), clock.instant(), action, reason);
        Log.infof("Autopilot: released GPU %d of pool %s: %s", rental.instanceId(), pool.name(), reason);
    }

    static ScalingDecider.Limits limits(AutoscaleSpec spec) {
        return new ScalingDecider.Limits(spec.minGpus(), spec.maxGpus(), spec.targetInFlightPerGpu(),
                spec.idleReleaseAfter(), spec.cooldownPeriod());
    }

    private static String describe(AutoscaleSpec.OfferDecl offer) {
        if (offer == null) {
            return "any offer";
        }
        return "gpu_model=" + offer.gpuModel() + ", min_vram=" + offer.minVram() + ", max_price=" + offer.maxPrice();
    }

    /** Pools are told apart by name and owner (BACKENDS_FILE pools have no stable id across restarts). */
    static String key(Pool pool) {
        return key(pool.name(), pool.ownerUserId());
    }

    private static String key(String poolName, Long ownerUserId) {
        return ownerUserId == null ? poolName : ownerUserId + "/" + poolName;
    }
}
