package dev.gpuproxy.server.cluster.repository;

import dev.gpuproxy.server.common.persistence.ActiveDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code job_leases} and {@code cluster_replicas} tables, in plain JDBC with auto-commit: each statement is its own
 * transaction, so lease renewals never wait behind (or roll back with) a job's work. Times are epoch milliseconds.
 */
@ApplicationScoped
public class LeaseTable {

    /**
     * Takes the lease when nobody has it, renews it for its holder, takes it over when it expired; otherwise changes
     * nothing. PostgreSQL evaluates the WHERE on the row it locked, so of replicas racing for one expired lease exactly
     * one updates it; SQLite has one writer anyway.
     */
    private static final String CLAIM = """
            INSERT INTO job_leases (job, holder, expires_at, acquired_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at
                                   ELSE excluded.acquired_at END
            WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < ?""";

    private static final String HEARTBEAT = """
            INSERT INTO cluster_replicas (replica_id, started_at, seen_at, draining) VALUES (?, ?, ?, ?)
            ON CONFLICT (replica_id) DO UPDATE SET seen_at = excluded.seen_at, draining = excluded.draining""";

    private final ActiveDatabase database;

    LeaseTable(ActiveDatabase database) {
        this.database = database;
    }

    /** One lease as stored. */
    public record Lease(String job, String holder, long expiresAt, long acquiredAt) {}

    /** One replica's last heartbeat. */
    public record Replica(String id, long startedAt, long seenAt, boolean draining) {}

    /** Whether {@code holder} holds {@code job} until {@code expiresAt} after this call. */
    public boolean claim(String job, String holder, long now, long expiresAt) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, job);
            statement.setString(2, holder);
            statement.setLong(3, expiresAt);
            statement.setLong(4, now);
            statement.setLong(5, now);
            return statement.executeUpdate() == 1;
        }
    }

    /** Gives up the leases {@code holder} has, so another replica takes them at its next renewal. */
    public void releaseAll(String holder) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM job_leases WHERE holder = ?")) {
            statement.setString(1, holder);
            statement.executeUpdate();
        }
    }

    public void heartbeat(String replica, long startedAt, long now, boolean draining) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(HEARTBEAT)) {
            statement.setString(1, replica);
            statement.setLong(2, startedAt);
            statement.setLong(3, now);
            statement.setBoolean(4, draining);
            statement.executeUpdate();
        }
    }

    /** Forgets replicas not seen since {@code before} (they stopped or died long ago). */
    public void forgetReplicasSeenBefore(long before) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "DELETE FROM cluster_replicas WHERE seen_at < ?")) {
            statement.setLong(1, before);
            statement.executeUpdate();
        }
    }

    public List<Lease> leases() throws SQLException {
        List<Lease> leases = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT job, holder, expires_at, acquired_at FROM job_leases ORDER BY job");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                leases.add(new Lease(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4)));
            }
        }
        return leases;
    }

    public List<Replica> replicas() throws SQLException {
        List<Replica> replicas = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT replica_id, started_at, seen_at, draining FROM cluster_replicas ORDER BY replica_id");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                replicas.add(new Replica(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getBoolean(4)));
            }
        }
        return replicas;
    }
}
