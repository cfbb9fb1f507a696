-- Several replicas share one database. A singleton job (instance poller, reservation expiry, crypto re-checks) runs
-- on the replica that holds its lease; the holder renews it every few seconds and another replica takes it over once
-- it has expired. Times are epoch milliseconds of the replicas' clocks (kept in sync by NTP; skew must stay well
-- below the lease TTL).
CREATE TABLE job_leases (
    job VARCHAR(64) NOT NULL PRIMARY KEY,
    holder VARCHAR(128) NOT NULL,
    expires_at BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL
);

-- Every replica's heartbeat, for GET /api/v1/admin/cluster: which replicas are alive and which are draining.
CREATE TABLE cluster_replicas (
    replica_id VARCHAR(128) NOT NULL PRIMARY KEY,
    started_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    draining BOOLEAN NOT NULL DEFAULT 0
);
