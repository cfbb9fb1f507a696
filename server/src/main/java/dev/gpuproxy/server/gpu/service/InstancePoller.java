package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.server.cluster.service.SingletonJob;
import dev.gpuproxy.server.cluster.service.SingletonJobs;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Follows every live instance at its provider every GPU_POLL_INTERVAL: state (pending, loading, running, ended),
 * endpoint and price go into {@code instances}, each minute of running time is charged to the owner, and an instance
 * whose owner is past their credit cap is destroyed.
 */
@ApplicationScoped
public class InstancePoller {

    private final ProviderRegistry registry;
    private final InstanceRecords records;
    private final ProviderHealth health;
    private final Clock clock;
    private final SingletonJobs singletons;

    InstancePoller(ProviderRegistry registry, InstanceRecords records, ProviderHealth health, Clock clock,
                   SingletonJobs singletons) {
        this.singletons = singletons;
        this.registry = registry;
        this.records = records;
        this.health = health;
        this.clock = clock;
    }

    /**
     * What one round did.
     *
     * @param polled  instances asked about
     * @param ended   instances that ended in this round
     * @param stopped instances destroyed because their owner is past cap
     * @param failed  instances whose provider could not be asked (tried again next round)
     */
    public record Round(int polled, int ended, int stopped, int failed) {
    }

    @Scheduled(every = "${gpu.poll-interval:15s}", identity = "gpu-instance-poller",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        // One replica polls (and charges running time); the others would only repeat its provider calls.
        if (!singletons.holds(SingletonJob.INSTANCE_POLLER)) {
            return;
        }
        Round round = pollOnce();
        if (round.polled() > 0) {
            Log.debugf("Instance poll: %s", round);
        }
    }

    /** One round over every live instance; one instance's trouble never stops the others. */
    public Round pollOnce() {
        int polled = 0;
        int ended = 0;
        int stopped = 0;
        int failed = 0;
        for (long id : records.liveIds()) {
            Optional<InstanceRecords.LiveInstance> found = records.live(id);
            if (found.isEmpty()) {
                continue;
            }
            InstanceRecords.LiveInstance live = found.get();
            try {
                if (live.unconfirmed()) {
                    ended += giveUpIfStale(live) ? 1 : 0;
                    continue;
                }
                Optional<GpuProvider> provider = registry.find(live.provider());
                if (provider.isEmpty()) {
                    Log.warnf("Instance %d belongs to provider %s, which is not enabled; not polled", id, live.provider());
                    continue;
                }
                polled++;
                Optional<Instance> reported = provider.get().get(live.providerInstanceId());
                health.succeeded(live.provider());
                InstanceRecords.Observation observation = records.observe(id, reported);
                if (observation.pastCap() && !observation.ended()) {
                    stopPastCap(provider.get(), live);
                    stopped++;
                }
                ended += observation.ended() || observation.pastCap() ? 1 : 0;
            } catch (ProviderException e) {
                failed++;
                health.failed(live.provider(), e.getMessage());
                Log.warnf("Polling instance %d (%s %s) failed: %s", id, live.provider(), live.providerInstanceId(),
                        e.getMessage());
            } catch (RuntimeException e) {
                failed++;
                Log.errorf(e, "Polling instance %d (%s %s) failed", id, live.provider(), live.providerInstanceId());
            }
        }
        return new Round(polled, ended, stopped, failed);
    }

    private void stopPastCap(GpuProvider provider, InstanceRecords.LiveInstance live) {
        GpuInstanceService.destroy(provider, live.providerInstanceId(),
                "Stopping instance " + live.providerInstanceId() + " of " + live.provider());
        records.end(live.id(), InstanceState.TERMINATED);
        Log.infof("Stopped instance %d (%s %s) of user %d: past their credit cap", live.id(), live.provider(),
                live.providerInstanceId(), live.userId());
    }

    /** A rental the provider never confirmed (the server stopped in between) is given up after a grace period. */
    private boolean giveUpIfStale(InstanceRecords.LiveInstance live) {
        if (live.createdAt().plus(InstanceRecords.UNCONFIRMED_GRACE).isAfter(clock.instant())) {
            return false;
        }
        Log.warnf("Instance %d of user %d was never confirmed by %s; marking it failed", live.id(), live.userId(),
                live.provider());
        records.end(live.id(), InstanceState.FAILED);
        return true;
    }
}
