package dev.gpuproxy.server.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts CDI request contexts activated on Vert.x event-loop threads (where HTTP requests are handled; scheduled jobs
 * and blocking work run on worker threads), so a test can prove a path does not pay for one per request.
 */
@ApplicationScoped
public class RequestContextActivations {

    private final AtomicLong onEventLoops = new AtomicLong();

    void activated(@Observes @Initialized(RequestScoped.class) Object ignored) {
        if (Thread.currentThread().getName().startsWith("vert.x-eventloop")) {
            onEventLoops.incrementAndGet();
        }
    }

    public long onEventLoops() {
        return onEventLoops.get();
    }
}
