package dev.gpuproxy.server.autopilot.repository;

import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** The autopilot's rentals, read together with the instance rows the poller keeps up to date. */
@ApplicationScoped
public class AutoscaleRentalRepository {

    private final Session session;

    AutoscaleRentalRepository(Session session) {
        this.session = session;
    }

    /** A live rental with its instance as last polled. */
    public record LiveRental(AutoscaleRentalEntity rental, GpuInstanceEntity instance) {}

    /** Rentals of a pool not ended yet, oldest first. */
    public List<LiveRental> live(String poolName, Long ownerUserId) {
        String owner = ownerUserId == null ? "r.ownerUserId is null" : "r.ownerUserId = :owner";
        var query = session.createSelectionQuery("select r, i from AutoscaleRentalEntity r, GpuInstanceEntity i"
                        + " where i.id = r.instanceId and r.endedAt is null and r.poolName = :pool and " + owner
                        + " order by r.createdAt", Object[].class)
                .setParameter("pool", poolName);
        if (ownerUserId != null) {
            query.setParameter("owner", ownerUserId);
        }
        return query.getResultList().stream()
                .map(row -> new LiveRental((AutoscaleRentalEntity) row[0], (GpuInstanceEntity) row[1]))
                .toList();
    }

    /** Every rental not ended yet, of any pool. */
    public List<LiveRental> liveAll() {
        return session.createSelectionQuery("select r, i from AutoscaleRentalEntity r, GpuInstanceEntity i"
                        + " where i.id = r.instanceId and r.endedAt is null order by r.createdAt", Object[].class)
                .getResultList().stream()
                .map(row -> new LiveRental((AutoscaleRentalEntity) row[0], (GpuInstanceEntity) row[1]))
                .toList();
    }

    public Optional<AutoscaleRentalEntity> find(long instanceId) {
        return Optional.ofNullable(session.find(AutoscaleRentalEntity.class, instanceId));
    }

    public void persist(AutoscaleRentalEntity rental) {
        session.persist(rental);
    }

    /** The account that pays for global pools: the active user with that e-mail, else the oldest active admin. */
    public Optional<Long> operatorAccount(Optional<String> email) {
        if (email.isPresent()) {
            return session.createSelectionQuery("select u.id from UserEntity u where lower(u.email) = :email"
                            + " and u.active = true", Long.class)
                    .setParameter("email", email.get().trim().toLowerCase(java.util.Locale.ROOT))
                    .uniqueResultOptional();
        }
        return session.createSelectionQuery("select min(u.id) from UserEntity u where u.role = 'admin'"
                + " and u.active = true", Long.class).uniqueResultOptional();
    }
}
