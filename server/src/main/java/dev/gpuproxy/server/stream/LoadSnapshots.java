package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.config.StreamConfig;
import dev.gpuproxy.server.lb.rest.LoadView;
import dev.gpuproxy.server.lb.service.LoadBalancerService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/**
 * The {@code loads} topic: every WS_LOAD_INTERVAL, each subscribed connection gets the live load of the backends its
 * user may see, in the shape of {@code GET /api/v1/loadbalancer/loads}. Loads are this replica's own measurements, so
 * each replica sends them to its own connections (no pub/sub). Also closes idle connections on the same tick.
 */
@ApplicationScoped
public class LoadSnapshots {

    private final SocketSessions sessions;
    private final LoadBalancerService loads;
    private final Vertx vertx;
    private final long intervalMillis;
    private long timer = -1;

    LoadSnapshots(SocketSessions sessions, LoadBalancerService loads, Vertx vertx, StreamConfig config) {
        this.sessions = sessions;
        this.loads = loads;
        this.vertx = vertx;
        this.intervalMillis = Math.max(100, config.loadInterval().toMillis());
    }

    void schedule(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(intervalMillis, id -> tick());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    void tick() {
        sessions.closeIdle(System.nanoTime());
        String at = Instant.now().toString();
        for (ClientSession session : sessions.all()) {
            if (session.topics().contains(Topic.LOADS)) {
                JsonArray backends = new JsonArray();
                loads.loads(new LoadBalancerService.Viewer(session.userId(), session.admin()), null).stream()
                        .map(LoadView::of).forEach(view -> backends.add(JsonObject.mapFrom(view)));
                session.send(StreamMessages.event(Topic.LOADS, new JsonObject().put("backends", backends), at));
            }
        }
    }
}
