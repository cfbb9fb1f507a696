package dev.gpuproxy.server.common.error;

import dev.gpuproxy.server.common.http.EdgeRouteOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.gpuproxy.server.config.ServerConfig;

/**
 * Refuses a request whose declared Content-Length exceeds MAX_BODY_SIZE with a problem+json 413 before any body is
 * read. (Vert.x enforces the same limit on chunked bodies as they stream in, closing with a bare 413.)
 */
@ApplicationScoped
public class BodySizeLimitFilter {

    private final long maxBytes;
    private final String problemBody;

    BodySizeLimitFilter(ServerConfig config, ObjectMapper mapper) throws Exception {
        MemorySize size = new MemorySizeConverter().convert(config.maxBodySize());
        this.maxBytes = size.asLongValue();
        this.problemBody = mapper.writeValueAsString(Problem.of(413, "payload_too_large",
                "The request body is larger than the " + config.maxBodySize() + " this server accepts (MAX_BODY_SIZE)"));
    }

    void register(@Observes Router router) {
        router.route().order(EdgeRouteOrder.BODY_SIZE_LIMIT).handler(this::limit);
    }

    void limit(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && exceeds(declared)) {
            context.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(problemBody);
            return;
        }
        context.next();
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
