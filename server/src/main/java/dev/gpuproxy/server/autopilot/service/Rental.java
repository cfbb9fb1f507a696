package dev.gpuproxy.server.autopilot.service;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A GPU the autopilot rented for a pool, with its instance as the poller last saw it.
 *
 * @param instanceId         the {@code instances} row id
 * @param payerUserId        whose credits pay for it (the pool's owner, or the operator account)
 * @param state              the instance's state ({@code pending}, {@code loading}, {@code running}, {@code failed}, ...)
 * @param endpoint           {@code host:port} once running, else null
 * @param instanceEnded      the instance row has ended (destroyed, gone at the provider)
 */
public record Rental(long instanceId, String poolName, Long ownerUserId, long payerUserId, String provider,
                     String providerInstanceId, String reason, Instant createdAt, Instant readyAt, String state,
                     String endpoint, BigDecimal pricePerHour, String gpuModel, boolean instanceEnded) {

    /** The provider says the machine is lost or stopped: it will not serve again. */
    public boolean lostAtProvider() {
        return "failed".equals(state) || "stopped".equals(state) || "terminated".equals(state);
    }

    public boolean running() {
        return "running".equals(state) && endpoint != null;
    }
}
