package dev.gpuproxy.server.health;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether this replica is draining: set at SIGTERM (the start of SHUTDOWN_DELAY), so GET /health reports 503 at once
 * while requests in flight finish. Quarkus turns /q/health/ready DOWN at the same moment.
 */
@ApplicationScoped
public class DrainState {

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        Log.info("Draining: reporting not-ready; requests in flight finish before exit");
    }
}
