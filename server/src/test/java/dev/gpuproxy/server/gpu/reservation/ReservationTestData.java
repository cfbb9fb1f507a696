package dev.gpuproxy.server.gpu.reservation;

import dev.gpuproxy.server.gpu.repository.ReservationEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.hibernate.Session;

/** Direct looks at reservation rows, and a clean slate between tests. */
@ApplicationScoped
@Transactional
public class ReservationTestData {

    public static final String BROKE_TENANT = "910007";

    private final Session session;

    ReservationTestData(Session session) {
        this.session = session;
    }

    public void reset() {
        session.createMutationQuery("delete from ReservationEntity").executeUpdate();
        session.createMutationQuery("delete from PoolEntity where name like 'reservation-%'").executeUpdate();
        if (session.find(dev.gpuproxy.server.identity.account.repository.UserEntity.class, Long.parseLong(BROKE_TENANT)) == null) {
            session.createNativeMutationQuery("insert into users (id, email, password_hash, name, role, active,"
                            + " created_at, updated_at) values (:id, :email, :hash, 'Broke', 'user', :active, :now, :now)")
                    .setParameter("id", Long.parseLong(BROKE_TENANT))
                    .setParameter("email", "broke-" + BROKE_TENANT + "@example.com")
                    .setParameter("hash", "$2a$12$notusedbygputestsnotusedbygputestsnotusedbygpu")
                    .setParameter("active", true)
                    .setParameter("now", Instant.now())
                    .executeUpdate();
        }
    }

    public ReservationEntity reservation(long id) {
        ReservationEntity r = session.find(ReservationEntity.class, id);
        session.detach(r);
        return r;
    }

    public long liveInstances() {
        return session.createSelectionQuery("select count(*) from GpuInstanceEntity where endedAt is null", Long.class)
                .getSingleResult();
    }
}
