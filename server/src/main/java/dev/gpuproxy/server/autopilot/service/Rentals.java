package dev.gpuproxy.server.autopilot.service;

import dev.gpuproxy.server.autopilot.repository.AutoscaleRentalEntity;
import dev.gpuproxy.server.autopilot.repository.AutoscaleRentalRepository;
import dev.gpuproxy.server.config.AutopilotConfig;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.lb.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The record of what the autopilot rented for which pool; short transactions, never around a provider call. */
@ApplicationScoped
@Transactional
public class Rentals {

    /** Reasons are shown to operators; a provider's long message is cut to the column's size. */
    private static final int MAX_REASON = 300;

    private final AutoscaleRentalRepository repository;
    private final AutopilotConfig config;
    private final Clock clock;

    Rentals(AutoscaleRentalRepository repository, AutopilotConfig config, Clock clock) {
        this.repository = repository;
        this.config = config;
        this.clock = clock;
    }

    /** The pool's rentals that have not ended, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Rental> live(Pool pool) {
        return repository.live(pool.name(), pool.ownerUserId()).stream()
                .map(row -> view(row.rental(), row.instance()))
                .toList();
    }

    /** Every rental not ended yet, of any pool (to find those whose pool no longer autoscales). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Rental> liveAll() {
        return repository.liveAll().stream().map(row -> view(row.rental(), row.instance())).toList();
    }

    /** A rented instance now serves {@code pool}. */
    public void opened(long instanceId, Pool pool, String reason) {
        AutoscaleRentalEntity rental = new AutoscaleRentalEntity();
        rental.instanceId = instanceId;
        rental.poolName = pool.name();
        rental.ownerUserId = pool.ownerUserId();
        rental.reason = cut(reason);
        rental.createdAt = now();
        repository.persist(rental);
    }

    /** The GPU answered its readiness path for the first time. */
    public void ready(long instanceId) {
        repository.find(instanceId).filter(r -> r.readyAt == null).ifPresent(r -> r.readyAt = now());
    }

    /** The rental is over (released, lost, given up); ending an ended rental changes nothing. */
    public void ended(long instanceId, String reason) {
        repository.find(instanceId).filter(r -> r.endedAt == null).ifPresent(r -> {
            r.endedAt = now();
            r.endReason = cut(reason);
        });
    }

    /** Who pays for a pool's GPUs: its owner, or for a global pool the operator account. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> payer(Pool pool) {
        return pool.ownerUserId() != null ? Optional.of(pool.ownerUserId())
                : repository.operatorAccount(config.operatorEmail());
    }

    private static Rental view(AutoscaleRentalEntity r, GpuInstanceEntity i) {
        BigDecimal price = BigDecimal.valueOf(i.pricePerHourMicros).divide(BigDecimal.valueOf(1_000_000), 6,
                RoundingMode.UNNECESSARY).stripTrailingZeros();
        return new Rental(r.instanceId, r.poolName, r.ownerUserId, i.userId, i.provider, i.providerInstanceId,
                r.reason, r.createdAt, r.readyAt, i.state, i.endpoint, price, i.gpuModel, i.endedAt != null);
    }

    private static String cut(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
