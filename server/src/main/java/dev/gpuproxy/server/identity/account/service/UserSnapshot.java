package dev.gpuproxy.server.identity.account.service;

/** What authentication needs to know about a user, cached in memory by {@link UserDirectory}. */
public record UserSnapshot(long id, String email, String role, boolean active, Integer rateLimitPerMinute,
                           Long maxRequests, Long maxGpuSeconds, String quotaPeriod) {

    public static UserSnapshot of(dev.gpuproxy.server.identity.account.repository.UserEntity user) {
        return new UserSnapshot(user.id, user.email, user.role, user.active, user.rateLimitPerMinute,
                user.maxRequests, user.maxGpuSeconds, user.quotaPeriod);
    }


    public boolean isAdmin() {
        return "admin".equals(role);
    }
}
