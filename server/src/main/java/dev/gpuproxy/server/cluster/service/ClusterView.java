package dev.gpuproxy.server.cluster.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.cluster.repository.LeaseTable;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

/** Which replicas are alive and which one runs each singleton job, for operators (GET /api/v1/admin/cluster). */
@ApplicationScoped
public class ClusterView {

    private final LeaseTable table;
    private final ReplicaIdentity self;
    private final SingletonJobs jobs;
    private final Clock clock;

    ClusterView(LeaseTable table, ReplicaIdentity self, SingletonJobs jobs, Clock clock) {
        this.table = table;
        this.self = self;
        this.jobs = jobs;
        this.clock = clock;
    }

    public record Cluster(@JsonProperty("answered_by") String answeredBy,
                          @JsonProperty("lease_ttl_ms") long leaseTtlMillis,
                          List<Replica> replicas, List<Job> jobs) {}

    /** {@code alive}: a heartbeat within the lease TTL. */
    public record Replica(String id, @JsonProperty("started_at") Instant startedAt,
                          @JsonProperty("seen_at") Instant seenAt, boolean alive, boolean draining) {}

    /** {@code holder} is null when the lease expired and nobody has taken it over yet. */
    public record Job(String job, String holder, @JsonProperty("expires_at") Instant expiresAt,
                      @JsonProperty("held_since") Instant heldSince) {}

    public Cluster current() throws SQLException {
        long now = clock.millis();
        List<Replica> replicas = table.replicas().stream()
                .map(r -> new Replica(r.id(), Instant.ofEpochMilli(r.startedAt()), Instant.ofEpochMilli(r.seenAt()),
                        now - r.seenAt() <= jobs.ttlMillis(), r.draining()))
                .toList();
        List<Job> leases = table.leases().stream()
                .map(l -> new Job(l.job(), l.expiresAt() >= now ? l.holder() : null,
                        Instant.ofEpochMilli(l.expiresAt()), Instant.ofEpochMilli(l.acquiredAt())))
                .toList();
        return new Cluster(self.id(), jobs.ttlMillis(), replicas, leases);
    }
}
