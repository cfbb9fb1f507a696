package dev.gpuproxy.server.credit.service;

import java.util.Map;

/**
 * A user's balance moved: one ledger entry was written. Fired synchronously inside the transaction that writes it, so
 * an observer that tells the user (the {@code credits} WebSocket topic) can wait for the commit.
 *
 * @param change what the user is told: {@code kind}, {@code change}, {@code balance}, {@code available}
 */
public record CreditChanged(long userId, Map<String, ?> change) {}
