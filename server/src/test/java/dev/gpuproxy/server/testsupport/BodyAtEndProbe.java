package dev.gpuproxy.server.testsupport;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For a gateway request that carries {@value #HEADER}, records when the request ends whether its routing context
 * still held the body the body handler read. Other requests pass by untouched.
 */
@ApplicationScoped
public class BodyAtEndProbe {

    public static final String HEADER = "X-Test-Body-Probe";

    private final Map<String, Boolean> heldAtEnd = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        // Ahead of the data plane's routes (-250), after the edge checks.
        router.route("/v1/*").order(-400).handler(context -> {
            String probe = context.request().getHeader(HEADER);
            if (probe != null) {
                context.addEndHandler(ended -> heldAtEnd.put(probe, context.body().buffer() != null));
            }
            context.next();
        });
    }

    /** Whether the request tagged {@code probe} still held its body when it ended; null until it ended. */
    public Boolean heldAtEnd(String probe) {
        return heldAtEnd.get(probe);
    }
}
