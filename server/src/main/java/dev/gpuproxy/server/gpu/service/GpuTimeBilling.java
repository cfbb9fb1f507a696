package dev.gpuproxy.server.gpu.service;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How GPU time reaches the owner's wallet: the seam between instances (this feature) and credits. The instance code
 * decides <em>what</em> is due (whole minutes of running time, at the instance's hourly price); the implementation
 * decides what that costs in credits, writes the ledger and says whether the owner may go on.
 *
 * <p>Calls happen inside the transaction that advances the instance's {@code charged_until}, so a ledger entry and
 * that mark commit together. Implementations must be normal-scoped ({@code @ApplicationScoped}) beans; the credits
 * one lives above this package (billing), so gpu never depends on the ledger.
 */
public interface GpuTimeBilling {

    /**
     * Before an offer is rented: makes sure the owner can pay the first hour, and may hold it.
     *
     * @param userId        the owner
     * @param instanceRowId id of the {@code instances} row created for the rental
     * @param pricePerHour  US dollars per hour, as the provider listed the offer
     * @throws dev.gpuproxy.server.common.error.ApiException with status 402 when the owner cannot pay; the rental is
     *         then not attempted and its row is removed
     */
    void authorizeFirstHour(long userId, long instanceRowId, BigDecimal pricePerHour);

    /**
     * Charges running time of one instance.
     *
     * @param userId         the owner
     * @param instanceRowId  id of the {@code instances} row
     * @param period         running time to charge, a whole number of minutes
     * @param pricePerHour   US dollars per hour
     * @param idempotencyKey the same key for the same period of the same instance, even when two replicas charge it:
     *                       a repeated key must not charge twice
     * @return whether the owner is now past their credit cap; the instance is then stopped
     */
    ChargeResult chargeRunningTime(long userId, long instanceRowId, Duration period, BigDecimal pricePerHour,
                                   String idempotencyKey);

    /**
     * The rental failed or the instance ended: whatever {@link #authorizeFirstHour} still holds for it may be returned.
     * Running time already charged stays charged.
     */
    default void releaseAuthorization(long userId, long instanceRowId) {
    }

    /**
     * Before a reservation rents anything: holds the first hour of all the GPUs it is about to rent, so an owner who
     * cannot pay for them all is refused before any rental starts.
     *
     * @param gpus            how many GPUs the reservation rents
     * @param firstHourMicros the first hour of all of them, in micro-credits
     * @throws dev.gpuproxy.server.common.error.ApiException with status 402 when the owner cannot pay
     */
    void holdReservation(long userId, long reservationId, int gpus, long firstHourMicros);

    /** Returns what {@link #holdReservation} held, once each instance holds its own first hour instead. */
    void releaseReservationHold(long userId, long reservationId);
}
