package dev.gpuproxy.server.billing;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import java.util.List;

/** PostgreSQL and Redis, with the billing stand-ins (Stripe, AfterDark) and a real Ethereum node. */
public class BillingPostgresProfile extends PostgresProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(BillingStubsResource.class));
    }
}
