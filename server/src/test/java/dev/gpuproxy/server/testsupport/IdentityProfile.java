package dev.gpuproxy.server.testsupport;

import java.util.Map;

/**
 * PostgreSQL and Redis (balanced sessions), with no ADMIN_EMAIL: no admin exists, so the admin bootstrap can be tried
 * against an account that registered first. Shared by the identity hardening tests (one app start for all).
 */
public class IdentityProfile extends PostgresProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return withBase(Map.of("auth.admin-email", "", "auth.admin-password", "", "session.mode", "balanced",
                "stream.auth-recheck", "1s"));
    }
}
