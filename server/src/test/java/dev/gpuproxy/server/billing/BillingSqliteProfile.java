package dev.gpuproxy.server.billing;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import dev.gpuproxy.server.testsupport.SqliteResource;
import java.util.List;

/** The embedded SQLite file (one connection), with the billing stand-ins and a real Ethereum node. */
public class BillingSqliteProfile extends SqliteProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SqliteResource.class), new TestResourceEntry(BillingStubsResource.class));
    }
}
