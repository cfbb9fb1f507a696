package dev.gpuproxy.server.credit.service;

import java.time.Instant;

/**
 * One metered piece of work: a request (or part of one) with its tokens, GPU time and price in micro-credits.
 * {@code clientId} and {@code ip} say where it came from (API key id or session, and address).
 */
public record UsageEvent(long userId, String clientId, String ip, long requests, long tokensIn, long tokensOut,
                         long gpuSeconds, long creditsMicros, Instant at) {}
