package dev.gpuproxy.server.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.account.service.UserDirectory;
import dev.gpuproxy.server.account.service.UserService;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.Credits;
import dev.gpuproxy.server.credit.service.LedgerAudit;
import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.credit.service.UsageEvent;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.credit.service.UsageSummaryService;
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
