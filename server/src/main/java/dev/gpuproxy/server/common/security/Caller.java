package dev.gpuproxy.server.common.security;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling: the authenticated user's id and role, read from the {@link SecurityIdentity}. The principal's
 * name is the user id as a decimal string, so every resource scopes tenant data with {@code Caller.userId(identity)}.
 */
public final class Caller {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";

    private Caller() {
    }

    public static long userId(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new io.quarkus.security.UnauthorizedException("Authentication required");
        }
        return Long.parseLong(identity.getPrincipal().getName());
    }

    public static boolean isAdmin(SecurityIdentity identity) {
        return identity != null && identity.hasRole(ROLE_ADMIN);
    }
}
