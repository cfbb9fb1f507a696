package dev.gpuproxy.server.gpu.service;

import io.quarkus.arc.DefaultBean;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * GPU time that costs nothing: authorizes every rental, records no charge and never reports a cap. It only exists
 * until the credits module provides the real {@link GpuTimeBilling} bean, which replaces this one without any change
 * here (this is a {@link DefaultBean}).
 */
@DefaultBean
@ApplicationScoped
public class FreeGpuTimeBilling implements GpuTimeBilling {

    @Override
    public void authorizeFirstHour(long userId, long instanceRowId, BigDecimal pricePerHour) {
        Log.debugf("No credits module: instance %d of user %d is not charged", instanceRowId, userId);
    }

    @Override
    public ChargeResult chargeRunningTime(long userId, long instanceRowId, Duration period, BigDecimal pricePerHour,
                                          String idempotencyKey) {
        Log.debugf("No credits module: %s of instance %d (%s) not charged", period, instanceRowId, idempotencyKey);
        return ChargeResult.WITHIN_CAP;
    }
}
