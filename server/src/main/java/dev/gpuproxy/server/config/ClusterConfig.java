package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Several replicas on one database: singleton jobs run on the replica holding their lease, and a replica stopping
 * drains its requests before it exits.
 */
@ConfigMapping(prefix = "cluster")
public interface ClusterConfig {

    /** CLUSTER_REPLICA_ID: this replica's name in leases and the admin API (unset: host name plus a random suffix). */
    Optional<String> replicaId();

    /**
     * CLUSTER_LEASE_TTL: how long a singleton job's lease lasts without renewal (default 10s). A replica that dies
     * hands its jobs over after at most this plus CLUSTER_LEASE_RENEW.
     */
    @WithDefault("10s")
    Duration leaseTtl();

    /** CLUSTER_LEASE_RENEW: how often leases are renewed, and expired ones taken over (default 3s; below the TTL). */
    @WithDefault("3s")
    Duration leaseRenew();

    /**
     * SHUTDOWN_DELAY: after SIGTERM, how long the replica keeps serving while it reports not-ready (GET /health and
     * /q/health/ready answer 503), so load balancers take it out before it stops accepting requests (default 3s;
     * at least one readiness probe interval of your load balancer).
     */
    @WithDefault("${SHUTDOWN_DELAY:3s}")
    Duration shutdownDelay();

    /**
     * SHUTDOWN_DRAIN_TIMEOUT: after the delay, new requests get 503 and requests and streams in flight get this long
     * to finish before the replica exits anyway (default 30s). Metering is flushed after them.
     */
    @WithDefault("${SHUTDOWN_DRAIN_TIMEOUT:30s}")
    Duration shutdownDrainTimeout();
}
