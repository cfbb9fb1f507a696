package dev.gpuproxy.server.gpu.reservation;

import java.util.Map;

/**
 * A user's reservation changed (opened, an instance joined, active, ended). Fired synchronously inside the transaction
 * that records it, so an observer that tells the user (the {@code reservations} WebSocket topic) can wait for the
 * commit.
 *
 * @param reservation what the user is told: id, state, requested count, the instance that joined, expiry
 */
public record ReservationProgressed(long userId, Map<String, ?> reservation) {}
