package dev.gpuproxy.server.gpu.service;

/**
 * What a {@link GpuTimeBilling#chargeRunningTime} call left the owner with.
 *
 * @param pastCap the owner has used up their credits and any allowed overage: their running instances are stopped
 */
public record ChargeResult(boolean pastCap) {

    public static final ChargeResult WITHIN_CAP = new ChargeResult(false);
    public static final ChargeResult PAST_CAP = new ChargeResult(true);
}
