package dev.gpuproxy.server.identity.account.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.identity.account.repository.UserEntity;
import java.time.Instant;

/** A user as the API shows it (never the password hash). */
public record UserView(
        long id,
        String email,
        String name,
        String role,
        boolean active,
        @JsonProperty("rate_limit_per_minute") Integer rateLimitPerMinute,
        @JsonProperty("max_requests") Long maxRequests,
        @JsonProperty("max_gpu_hours") java.math.BigDecimal maxGpuHours,
        @JsonProperty("quota_period") String quotaPeriod,
        @JsonProperty("created_at") Instant createdAt) {

    public static UserView of(UserEntity user) {
        return new UserView(user.id, user.email, user.name, user.role, user.active, user.rateLimitPerMinute,
                user.maxRequests, user.maxGpuSeconds == null ? null
                        : java.math.BigDecimal.valueOf(user.maxGpuSeconds).divide(java.math.BigDecimal.valueOf(3600),
                        2, java.math.RoundingMode.HALF_UP),
                user.quotaPeriod, user.createdAt);
    }
}
