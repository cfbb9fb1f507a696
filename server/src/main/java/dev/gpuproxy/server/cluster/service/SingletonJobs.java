package dev.gpuproxy.server.cluster.service;

import dev.gpuproxy.server.cluster.repository.LeaseTable;
import dev.gpuproxy.server.config.ClusterConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each singleton job (see {@link SingletonJob}) on one replica at a time: the replica holding the job's lease in
 * {@code job_leases}. {@link #holds} is what a scheduled job asks before each round; it reads a cached deadline, and a
 * background renewal every CLUSTER_LEASE_RENEW extends held leases and takes over expired ones, so a dead replica's
 * jobs move within CLUSTER_LEASE_TTL plus one renewal. The cached deadline is counted from before the renewal was sent,
 * so a replica never believes in a lease longer than the database does (given clocks in sync).
 */
@ApplicationScoped
public class SingletonJobs {

    private final LeaseTable table;
    private final ReplicaIdentity replica;
    private final Clock clock;
    private final long ttlMillis;
    private final long renewMillis;
    /** Job -> System.nanoTime() until which this replica holds it. */
    private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    SingletonJobs(LeaseTable table, ReplicaIdentity replica, ClusterConfig config, Clock clock) {
        this.table = table;
        this.replica = replica;
        this.clock = clock;
        this.ttlMillis = config.leaseTtl().toMillis();
        this.renewMillis = config.leaseRenew().toMillis();
        if (renewMillis >= ttlMillis) {
            throw new IllegalArgumentException("CLUSTER_LEASE_RENEW (" + config.leaseRenew()
                    + ") must be shorter than CLUSTER_LEASE_TTL (" + config.leaseTtl() + ")");
        }
    }

    /**
     * Whether this replica should run a round of {@code job} now. The first question about a job claims its lease at
     * once; later ones cost a map lookup.
     */
    public boolean holds(SingletonJob job) {
        if (draining) {
            return false;
        }
        if (known.add(job.id())) {
            claim(job.id());
        }
        Long until = heldUntil.get(job.id());
        return until != null && System.nanoTime() - until < 0;
    }

    /** Renews held leases, takes over expired ones, and records this replica's heartbeat. */
    @Scheduled(every = "${cluster.lease-renew:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (draining) {
            return;
        }
        for (SingletonJob job : SingletonJob.values()) {
            known.add(job.id());
        }
        for (String job : known) {
            claim(job);
        }
        heartbeat();
    }

    private void claim(String job) {
        long sentNanos = System.nanoTime();
        long now = clock.millis();
        try {
            boolean held = table.claim(job, replica.id(), now, now + ttlMillis);
            Long before = held ? heldUntil.put(job, sentNanos + ttlMillis * 1_000_000)
                    : heldUntil.remove(job);
            if (held && before == null) {
                Log.infof("Replica %s now runs singleton job %s", replica.id(), job);
            } else if (!held && before != null) {
                Log.infof("Replica %s no longer runs singleton job %s", replica.id(), job);
            }
        } catch (SQLException | RuntimeException e) {
            // The cached deadline still runs out on its own; until then the lease is still ours in the table too.
            Log.warnf("Could not renew the lease of job %s: %s", job, e.getMessage());
        }
    }

    private void heartbeat() {
        long now = clock.millis();
        try {
            table.heartbeat(replica.id(), replica.startedAt(), now, draining);
            table.forgetReplicasSeenBefore(now - Math.max(60_000, 10 * ttlMillis));
        } catch (SQLException | RuntimeException e) {
            Log.debugf("Heartbeat failed: %s", e.getMessage());
        }
    }

    /** At SIGTERM: no new rounds here; say so in the heartbeat. The leases go at shutdown, once rounds have ended. */
    void onDrain(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        heartbeat();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        draining = true;
        heldUntil.clear();
        try {
            table.releaseAll(replica.id());
            table.heartbeat(replica.id(), replica.startedAt(), clock.millis(), true);
        } catch (SQLException | RuntimeException e) {
            Log.warnf("Could not release this replica's leases (they expire within %d ms): %s", ttlMillis,
                    e.getMessage());
        }
    }

    public long ttlMillis() {
        return ttlMillis;
    }

    public long renewMillis() {
        return renewMillis;
    }
}
