package dev.gpuproxy.server.credit.service;

import java.time.Instant;

/** Usage of one user from one client and address, added up over a flush interval, with the key that makes its write idempotent. */
public record UsageBatch(String batchKey, long userId, String clientId, String ip, Instant startedAt, Instant endedAt,
                         long requests, long tokensIn, long tokensOut, long gpuSeconds, long creditsMicros) {}
