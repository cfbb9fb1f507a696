package dev.gpuproxy.server.credit.service;

/**
 * Fired once, after commit, when a wallet with auto-renew falls below its threshold; billing tops it up with the
 * user's saved payment method. It fires again only after the balance has been back at or above the threshold.
 */
public record AutoRenewRequested(long userId, long amountMicros, long balanceMicros) {}
