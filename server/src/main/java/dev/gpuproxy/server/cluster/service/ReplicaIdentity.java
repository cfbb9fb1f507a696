package dev.gpuproxy.server.cluster.service;

import dev.gpuproxy.server.config.ClusterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;

/** This replica's name (CLUSTER_REPLICA_ID, else host name plus a random suffix) and start time. */
@ApplicationScoped
public class ReplicaIdentity {

    private final String id;
    private final long startedAt;

    ReplicaIdentity(ClusterConfig config, Clock clock) {
        // A restarted replica gets a new suffix: its old leases expire instead of being silently renewed mid-job.
        this.id = config.replicaId().filter(s -> !s.isBlank())
                .orElseGet(() -> hostName() + "-" + UUID.randomUUID().toString().substring(0, 6));
        this.startedAt = clock.millis();
    }

    public String id() {
        return id;
    }

    public long startedAt() {
        return startedAt;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "replica";
        }
    }
}
