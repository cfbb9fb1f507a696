package dev.gpuproxy.server.cluster.service;

/**
 * The scheduled jobs that must run on one replica at a time, because they act on shared state: polling providers and
 * charging running time, expiring reservations, re-checking crypto payments, renting GPUs for autoscaled pools. Per-replica work (flushing this replica's
 * metering, health checks of its own backends, session repair) is not listed and runs everywhere.
 */
public enum SingletonJob {
    INSTANCE_POLLER("gpu-instance-poller"),
    RESERVATIONS("gpu-reservations"),
    CRYPTO_RECHECK("crypto-recheck"),
    /** Renting and releasing GPUs for autoscaled pools. */
    AUTOPILOT("autopilot");

    private final String id;

    SingletonJob(String id) {
        this.id = id;
    }

    /** The name in {@code job_leases} and the admin API. */
    public String id() {
        return id;
    }
}
