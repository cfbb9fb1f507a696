package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.config.BillingConfig;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.gpu.service.ChargeResult;
import dev.gpuproxy.server.gpu.service.GpuTimeBilling;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * GPU time paid in credits: a rental holds its first hour (refused with 402 when the wallet cannot cover it), the
 * hold is returned once the instance starts being charged by the minute (or when the rental fails), and running time
 * is charged at the provider's hourly price times CREDITS_PER_USD. A reservation first holds the first hour of all
 * its GPUs, so a wallet that cannot pay them all is refused before anything is rented. gpu's port, implemented here
 * because billing sits above both gpu and credit.
 */
@ApplicationScoped
public class CreditGpuTimeBilling implements GpuTimeBilling {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private final CreditService credits;
    private final BigDecimal microsPerUsd;

    CreditGpuTimeBilling(CreditService credits, BillingConfig billing) {
        this.credits = credits;
        this.microsPerUsd = billing.creditsPerUsd().movePointRight(Credits.SCALE);
    }

    @Override
    public void authorizeFirstHour(long userId, long instanceRowId, BigDecimal pricePerHour) {
        long firstHour = cost(pricePerHour, Duration.ofHours(1));
        if (firstHour > 0) {
            credits.reserve(userId, firstHour, "GPU instance " + instanceRowId + ": first hour", holdKey(instanceRowId));
        }
    }

    @Override
    public ChargeResult chargeRunningTime(long userId, long instanceRowId, Duration period, BigDecimal pricePerHour,
                                          String idempotencyKey) {
        // Once the minutes are charged as they run, the first-hour guarantee is no longer needed.
        credits.releaseByKey(userId, holdKey(instanceRowId));
        long micros = cost(pricePerHour, period);
        CreditService.Charge charge = credits.chargeUsage(userId, micros, "GPU instance " + instanceRowId + ": "
                + period.toMinutes() + " min", idempotencyKey);
        return new ChargeResult(charge.pastCap());
    }

    @Override
    public void releaseAuthorization(long userId, long instanceRowId) {
        credits.releaseByKey(userId, holdKey(instanceRowId));
    }

    @Override
    public void holdReservation(long userId, long reservationId, int gpus, long firstHourMicros) {
        credits.reserve(userId, firstHourMicros, "Reservation " + reservationId + ": first hour of " + gpus + " GPU(s)",
                reservationHoldKey(reservationId));
    }

    @Override
    public void releaseReservationHold(long userId, long reservationId) {
        credits.releaseByKey(userId, reservationHoldKey(reservationId));
    }

    /** Micro-credits for {@code period} at {@code pricePerHour} US dollars, rounded half up. */
    long cost(BigDecimal pricePerHour, Duration period) {
        return pricePerHour.multiply(microsPerUsd).multiply(BigDecimal.valueOf(period.toSeconds()))
                .divide(SECONDS_PER_HOUR, 0, RoundingMode.HALF_UP).longValueExact();
    }

    private static String holdKey(long instanceRowId) {
        return "gpu-hold:" + instanceRowId;
    }

    private static String reservationHoldKey(long reservationId) {
        return "reservation-hold:" + reservationId;
    }
}
