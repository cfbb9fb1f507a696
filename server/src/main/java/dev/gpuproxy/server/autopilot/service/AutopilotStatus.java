package dev.gpuproxy.server.autopilot.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.AutoscaleSpec;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * How an autoscaled pool stands, for {@code GET /api/v1/admin/pools}: its declaration, its GPUs (ready and starting,
 * from the shared rental records, so every replica tells the same), requests waiting here, and the last decisions
 * with their reasons (kept by the replica that decides; empty elsewhere).
 */
@ApplicationScoped
public class AutopilotStatus {

    /** The {@code autoscale} object of a pool. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(AutoscaleSpec policy, int running, int starting, int waiting,
                        List<GpuState> gpus, List<DecisionJournal.Entry> decisions) {}

    /** One rented GPU. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GpuState(@JsonProperty("instance_id") long instanceId, String provider,
                           @JsonProperty("provider_instance_id") String providerInstanceId, String state,
                           boolean ready, @JsonProperty("price_per_hour") java.math.BigDecimal pricePerHour,
                           String reason) {}

    private final PoolRegistry registry;
    private final Rentals rentals;
    private final CapacityWaiters waiters;
    private final DecisionJournal journal;

    AutopilotStatus(PoolRegistry registry, Rentals rentals, CapacityWaiters waiters, DecisionJournal journal) {
        this.registry = registry;
        this.rentals = rentals;
        this.waiters = waiters;
        this.journal = journal;
    }

    /** Empty for a pool without {@code autoscale}. */
    public Optional<State> of(Pool pool) {
        Optional<AutoscaleSpec> spec = registry.autoscale(pool);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        List<GpuState> gpus = rentals.live(pool).stream()
                .filter(r -> !r.instanceEnded())
                .map(r -> new GpuState(r.instanceId(), r.provider(), r.providerInstanceId(), r.state(),
                        r.readyAt() != null, r.pricePerHour(), r.reason()))
                .toList();
        int running = (int) gpus.stream().filter(GpuState::ready).count();
        return Optional.of(new State(spec.get().masked(), running, gpus.size() - running, waiters.waiting(pool), gpus,
                journal.recent(Autopilot.key(pool))));
    }
}
