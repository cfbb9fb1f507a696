package dev.gpuproxy.server.common.devmode;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** In developer mode, tells the person who started the server where to point a browser or curl. */
@ApplicationScoped
public class StartupBanner {

    private final DeveloperMode mode;
    private final String host;
    private final int port;

    StartupBanner(DeveloperMode mode, @ConfigProperty(name = "quarkus.http.host") String host,
                  @ConfigProperty(name = "quarkus.http.port") int port) {
        this.mode = mode;
        this.host = host;
        this.port = port;
    }

    void onStart(@Observes StartupEvent started) {
        if (mode.developer()) {
            Log.info(banner(host, port, mode.debug()));
            Log.debug("Developer mode: dev.gpuproxy logs at DEBUG; 500 answers carry their stack trace");
        } else if (mode.debug()) {
            Log.info("Debug mode: every request and response is logged, secrets masked (DEBUG_MODE)");
        }
    }

    static String banner(String host, int port, boolean debug) {
        String base = "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host) + ":" + port;
        return String.join("\n",
                "gpuproxyd in developer mode (DEVELOPER_MODE): gpuproxy logs at DEBUG, stack traces in 500 answers",
                "  API          " + base + "/api/v1   (health: " + base + "/health)",
                "  Admin page   " + base + "/admin",
                "  OpenAPI UI   " + base + "/q/swagger-ui   (document: " + base + "/q/openapi)",
                "  Debug mode   " + (debug ? "on: every request and response is logged, secrets masked"
                        : "off (gpuproxyd -dm or DEBUG_MODE=true logs every request)"));
    }
}
