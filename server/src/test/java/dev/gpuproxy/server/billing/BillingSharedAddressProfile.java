package dev.gpuproxy.server.billing;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import java.util.List;
import java.util.Map;

/** As {@link BillingPostgresProfile}, with crypto payments sharing one CRYPTO_DEPOSIT_ADDRESS (no CRYPTO_XPUB). */
public class BillingSharedAddressProfile extends PostgresProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(BillingStubsResource.class,
                Map.of("crypto", BillingStubsResource.SHARED_ADDRESS)));
    }
}
