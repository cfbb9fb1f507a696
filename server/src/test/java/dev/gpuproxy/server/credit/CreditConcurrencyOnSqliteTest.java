package dev.gpuproxy.server.credit;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** SQLite: one writer, one pooled connection. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class CreditConcurrencyOnSqliteTest extends CreditConcurrencyContract {
}
