package dev.gpuproxy.server.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.LedgerAudit;
import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.credit.service.UsageAggregator;
import dev.gpuproxy.server.credit.service.UsageEvent;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.credit.service.UsageSummaryService;
import dev.gpuproxy.server.credit.service.UsageWriter;
import dev.gpuproxy.server.identity.account.service.UserDirectory;
import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Metering: events add up in memory and reach usage_sessions and the ledger in batches; quotas use the same data. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class UsageMeterTest {

    @Inject
    UsageMeter meter;

    @Inject
    CreditService credits;

    @Inject
    UsageSummaryService usage;

    @Inject
    LedgerAudit audit;

    @Inject
    QuotaService quotas;

    @Inject
    UserService users;

    @Inject
    UserDirectory directory;

    @Inject
    UsageWriter writer;

    @Test
    void usageRecordedBeforeShutdownIsWrittenByTheShutdownFlush() {
        long user = Api.registerAndLogin("meter").id();
        credits.add(user, CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "start", "t:" + UUID.randomUUID());
        for (int i = 0; i < 100; i++) {
            meter.record(new UsageEvent(user, "key-1", "127.0.0.1", 1, 10, 20, 0, 1_000, Instant.now()));
        }
        meter.record(new UsageEvent(user, "key-2", "10.0.0.9", 1, 5, 5, 3, 500, Instant.now()));

        meter.flush();  // what the ShutdownEvent observer runs before the process exits

        var summary = usage.summarize(user);
        assertThat(summary.requests()).isEqualTo(101);
        assertThat(summary.tokensIn()).isEqualTo(1005);
        assertThat(summary.tokensOut()).isEqualTo(2005);
        assertThat(summary.gpuSeconds()).isEqualTo(3);
        assertThat(summary.creditsMicros()).isEqualTo(100_500);
        assertThat(summary.sessions()).isEqualTo(2);
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("9.8995");
        assertThat(credits.ledger(user, null, 10)).filteredOn(e -> e.kind().equals("usage")).hasSize(2);
        assertThat(audit.check().consistent()).isTrue();
    }

    @Test
    void aBatchRetriedAfterACommitWhoseAnswerWasLostIsChargedOnce() {
        long user = Api.registerAndLogin("ambiguous").id();
        credits.add(user, CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "start", "t:" + UUID.randomUUID());
        UsageAggregator aggregator = new UsageAggregator();
        aggregator.record(new UsageEvent(user, "key-1", "127.0.0.1", 3, 30, 60, 0, 250_000, Instant.now()));

        // The transaction commits, then the connection drops before the caller hears so: the write looks failed.
        assertThatThrownBy(() -> aggregator.drainTo(batch -> {
            writer.write(batch);
            throw new IllegalStateException("connection reset after commit");
        })).hasMessageContaining("connection reset");
        assertThat(aggregator.isEmpty()).isFalse();
        aggregator.drainTo(writer::write);

        assertThat(aggregator.isEmpty()).isTrue();
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("9.75");
        assertThat(credits.ledger(user, null, 10)).filteredOn(e -> e.kind().equals("usage")).hasSize(1);
        assertThat(usage.summarize(user).requests()).isEqualTo(3);
        assertThat(audit.check().consistent()).isTrue();
    }

    @Test
    void theMeterTellsWhatIsChargedButNotYetInTheLedger() {
        long user = Api.registerAndLogin("unwritten").id();
        credits.add(user, CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "start", "t:" + UUID.randomUUID());
        meter.record(new UsageEvent(user, "k", "127.0.0.1", 1, 10, 10, 0, 4_000, Instant.now()));
        meter.record(new UsageEvent(user, "k", "127.0.0.1", 1, 10, 10, 0, 6_000, Instant.now()));
        assertThat(meter.unwrittenMicros(user)).isEqualTo(10_000);
        meter.flush();
        assertThat(meter.unwrittenMicros(user)).isZero();
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("9.99");
    }

    @Test
    void requestQuotaIsEnforcedFromMeteredUsage() {
        long userId = Api.registerAndLogin("quota").id();
        users.update(userId, null, null, null, new UserService.Quotas(3L, null, "day"));
        directory.evict(userId);
        var user = directory.get(userId).orElseThrow();
        quotas.check(user, 1);
        for (int i = 0; i < 3; i++) {
            meter.record(new UsageEvent(userId, "k", "127.0.0.1", 1, 0, 0, 0, 0, Instant.now()));
        }
        assertThatThrownBy(() -> quotas.check(user, 1))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).status()).isEqualTo(429);
                    assertThat(((ApiException) e).code()).isEqualTo("quota_exceeded");
                    assertThat(((ApiException) e).headers()).containsKey("Retry-After");
                });
    }
}
