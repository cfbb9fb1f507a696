package dev.gpuproxy.server.gpu;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.gpu.service.ChargeResult;
import dev.gpuproxy.server.gpu.service.GpuTimeBilling;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link GpuTimeBilling} that records every call and answers as the test says (installed with QuarkusMock). */
public class RecordingBilling implements GpuTimeBilling {

    public record Charge(long userId, long instanceRowId, Duration period, BigDecimal pricePerHour,
                         String idempotencyKey) {
    }

    public final List<Long> authorized = new CopyOnWriteArrayList<>();
    public final List<Charge> charges = new CopyOnWriteArrayList<>();
    public final List<Long> released = new CopyOnWriteArrayList<>();
    public volatile boolean refuseAuthorization;
    public volatile boolean pastCap;

    @Override
    public void authorizeFirstHour(long userId, long instanceRowId, BigDecimal pricePerHour) {
        if (refuseAuthorization) {
            throw new ApiException(402, "insufficient_credits", "Not enough credits for the first hour");
        }
        authorized.add(instanceRowId);
    }

    @Override
    public ChargeResult chargeRunningTime(long userId, long instanceRowId, Duration period, BigDecimal pricePerHour,
                                          String idempotencyKey) {
        charges.add(new Charge(userId, instanceRowId, period, pricePerHour, idempotencyKey));
        return pastCap ? ChargeResult.PAST_CAP : ChargeResult.WITHIN_CAP;
    }

    @Override
    public void releaseAuthorization(long userId, long instanceRowId) {
        released.add(instanceRowId);
    }

    @Override
    public void holdReservation(long userId, long reservationId, int gpus, long firstHourMicros) {
        if (refuseAuthorization) {
            throw new ApiException(402, "insufficient_credits", "Not enough credits for the first hour");
        }
    }

    @Override
    public void releaseReservationHold(long userId, long reservationId) {
    }
}
