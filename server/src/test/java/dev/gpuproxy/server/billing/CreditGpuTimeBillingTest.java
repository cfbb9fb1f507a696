package dev.gpuproxy.server.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.InsufficientCreditsException;
import dev.gpuproxy.server.gpu.service.GpuTimeBilling;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GPU time in credits: first hour held at rental, minutes charged as they run, hold returned once charging starts. */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class CreditGpuTimeBillingTest {

    @Inject
    GpuTimeBilling billing;

    @Inject
    CreditService credits;

    @Test
    void rentalHoldsTheFirstHourAndRunningTimeReplacesTheHold() {
        long user = Api.registerAndLogin("gpu-money").id();
        credits.add(user, CreditService.Kind.GRANT, 2 * Credits.MICROS_PER_CREDIT, "start", "t:" + UUID.randomUUID());

        billing.authorizeFirstHour(user, 41, new BigDecimal("1.00"));
        assertThat(credits.wallet(user).creditsAvailable()).isEqualByComparingTo("1");
        assertThatThrownBy(() -> billing.authorizeFirstHour(user, 42, new BigDecimal("3.00")))
                .isInstanceOf(InsufficientCreditsException.class);

        var first = billing.chargeRunningTime(user, 41, Duration.ofMinutes(30), new BigDecimal("1.00"), "gpu-time:41:0");
        assertThat(first.pastCap()).isFalse();
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("1.5");
        assertThat(credits.wallet(user).creditsReserved()).isEqualByComparingTo("0");

        // The same period charged again (another replica, a retry) changes nothing.
        billing.chargeRunningTime(user, 41, Duration.ofMinutes(30), new BigDecimal("1.00"), "gpu-time:41:0");
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("1.5");

        var beyond = billing.chargeRunningTime(user, 41, Duration.ofMinutes(120), new BigDecimal("1.00"), "gpu-time:41:1");
        assertThat(beyond.pastCap()).isTrue();
    }

    @Test
    void aFailedRentalReturnsItsHold() {
        long user = Api.registerAndLogin("gpu-fail").id();
        credits.add(user, CreditService.Kind.GRANT, 5 * Credits.MICROS_PER_CREDIT, "start", "t:" + UUID.randomUUID());
        billing.authorizeFirstHour(user, 77, new BigDecimal("2.50"));
        assertThat(credits.wallet(user).creditsAvailable()).isEqualByComparingTo("2.5");
        billing.releaseAuthorization(user, 77);
        billing.releaseAuthorization(user, 77);
        assertThat(credits.wallet(user).creditsAvailable()).isEqualByComparingTo("5");
    }
}
