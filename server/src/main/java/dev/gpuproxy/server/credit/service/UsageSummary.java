package dev.gpuproxy.server.credit.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import java.time.Instant;

/** A user's metered usage added up over all their usage sessions. Credits are in micro-credits. */
public record UsageSummary(
        @JsonProperty("user_id") long userId,
        long sessions,
        long requests,
        @JsonProperty("tokens_in") long tokensIn,
        @JsonProperty("tokens_out") long tokensOut,
        @JsonProperty("gpu_seconds") long gpuSeconds,
        @JsonProperty("credits_micros") long creditsMicros,
        @JsonProperty("first_at") Instant firstAt,
        @JsonProperty("last_at") Instant lastAt) {}
