package dev.gpuproxy.server.account.service;

/** What authentication needs to know about a user, cached in memory by {@link UserDirectory}. */
public record UserSnapshot(long id, String email, String role, boolean active, Integer rateLimitPerMinute) {

    public boolean isAdmin() {
        return "admin".equals(role);
    }
}
