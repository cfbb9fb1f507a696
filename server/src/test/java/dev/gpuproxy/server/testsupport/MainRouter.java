package dev.gpuproxy.server.testsupport;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Keeps Quarkus' main router, so a test can read the routes every request walks through, in their order. */
@ApplicationScoped
public class MainRouter {

    private volatile Router router;

    void started(@Observes Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }
}
