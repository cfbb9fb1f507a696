package dev.gpuproxy.server.gpu;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.identity.account.repository.UserEntity;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusMock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.hibernate.Session;
import org.mockito.AdditionalAnswers;
import org.mockito.Mockito;

/** Test data for the GPU tests: tenants with fixed ids (the ids @TestSecurity names) and direct looks at rows. */
@ApplicationScoped
@Transactional
public class GpuTestData {

    public static final String TENANT_A = "910001";
    public static final String TENANT_B = "910002";

    private final Session session;
    private final CreditService credits;

    /**
     * Replaces, for the current test, whatever bean implements {@code type} by one that forwards every call to
     * {@code delegate}; unlike a plain QuarkusMock this works whichever class provides the bean.
     */
    public static <T> void replaceBean(Class<T> type, T delegate) {
        Class<?> beanClass = Arc.container().instance(type).getBean().getBeanClass();
        T forwarding = type.cast(Mockito.mock(beanClass, Mockito.withSettings()
                .defaultAnswer(AdditionalAnswers.delegatesTo(delegate))));
        QuarkusMock.installMockForType(forwarding, type);
    }

    GpuTestData(Session session, CreditService credits) {
        this.session = session;
        this.credits = credits;
    }

    /** Both tenants exist with plenty of credits, and no instance is left from an earlier test. */
    public void reset() {
        for (String tenant : new String[] {TENANT_A, TENANT_B}) {
            long id = Long.parseLong(tenant);
            ensureUser(id);
            // The same key every time: the grant happens once per database.
            credits.add(id, CreditService.Kind.GRANT, 1_000_000 * Credits.MICROS_PER_CREDIT, "GPU test funds",
                    "test-funds:" + id);
        }
        session.createMutationQuery("delete from GpuInstanceEntity").executeUpdate();
    }

    private void ensureUser(long id) {
        if (session.find(UserEntity.class, id) != null) {
            return;
        }
        Instant now = Instant.now();
        session.createNativeMutationQuery("insert into users (id, email, password_hash, name, role, active,"
                        + " created_at, updated_at) values (:id, :email, :hash, :name, 'user', :active, :now, :now)")
                .setParameter("id", id)
                .setParameter("email", "tenant-" + id + "@example.com")
                .setParameter("hash", "$2a$12$notusedbygputestsnotusedbygputestsnotusedbygpu")
                .setParameter("name", "Tenant " + id)
                .setParameter("active", true)
                .setParameter("now", now)
                .executeUpdate();
    }

    public GpuInstanceEntity instance(long id) {
        GpuInstanceEntity row = session.find(GpuInstanceEntity.class, id);
        session.detach(row);
        return row;
    }

    public long countInstances() {
        return session.createSelectionQuery("select count(*) from GpuInstanceEntity", Long.class).getSingleResult();
    }
}
