package dev.gpuproxy.server.identity.account.service;

import dev.gpuproxy.server.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD when the server starts and no admin exists. Never
 * promotes an account that registered itself with that email: the server refuses to start instead.
 */
@ApplicationScoped
public class AdminBootstrap {

    void onStart(@Observes StartupEvent event, AuthConfig config, UserService users) {
        bootstrap(config, users);
    }

    /** Separate from the start event so a test can run it against an account registered first. */
    void bootstrap(AuthConfig config, UserService users) {
        if (config.adminEmail().isEmpty()) {
            return;
        }
        String password = config.adminPassword()
                .orElseThrow(() -> new IllegalArgumentException("ADMIN_EMAIL is set, so ADMIN_PASSWORD is required"));
        if (users.bootstrapAdmin(config.adminEmail().get(), password)) {
            Log.infof("Created the first admin account %s", UserService.normalizeEmail(config.adminEmail().get()));
        }
    }
}
