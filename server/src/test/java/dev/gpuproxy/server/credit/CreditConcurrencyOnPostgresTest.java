package dev.gpuproxy.server.credit;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** PostgreSQL: the wallet row lock (SELECT ... FOR UPDATE) serialises writers. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CreditConcurrencyOnPostgresTest extends CreditConcurrencyContract {
}
