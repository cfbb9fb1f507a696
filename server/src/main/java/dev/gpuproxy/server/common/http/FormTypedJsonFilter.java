package dev.gpuproxy.server.common.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Lets the REST API take a JSON body sent the way the seed product's own examples send it: {@code curl -d '{...}'}
 * labels it {@code application/x-www-form-urlencoded}, and some clients send no Content-Type at all. Before routing,
 * such a body on an {@code /api/} path is read and, only when it is one complete JSON object or array, relabelled
 * {@code application/json}; the bytes are handed on unchanged (RESTEasy reads a body the route already holds).
 *
 * <p>Requests over HTTP/2 are left alone (see {@link #applies}). Anything else keeps its label, so a real form, plain text or XML still gets 415 from JSON endpoints, and the
 * webhooks, whose signatures cover the exact request, are never touched.
 */
@ApplicationScoped
public class FormTypedJsonFilter {

    /** JSON API bodies are small; larger ones keep their label (and are refused or handled as before). */
    static final int MAX_RELABELLED_BYTES = 1024 * 1024;
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final JsonFactory JSON = new JsonFactory();

    /** After the body size limit, before RESTEasy; only {@code /api/} paths ({@link #applies} checks the rest). */
    void register(@Observes Router router) {
        router.route("/api/*").order(EdgeRouteOrder.FORM_TYPED_JSON).handler(this::relabel);
    }

    void relabel(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!applies(request)) {
            context.next();
            return;
        }
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            // curl asks before sending a body over 1 KiB; without an answer it waits a second.
            context.response().writeContinue();
        }
        request.body().onComplete(read -> {
            if (read.succeeded()) {
                Buffer body = read.result();
                context.setBody(body);
                if (isJson(body)) {
                    request.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
                }
                context.next();
            } else {
                context.fail(read.cause());
            }
        });
        // Vert.x may hold a request paused until a handler asks for its body.
        request.resume();
    }

    static boolean applies(HttpServerRequest request) {
        // Over HTTP/2 RESTEasy pauses the request after the body was read, which Vert.x refuses once it has ended;
        // curl and the seed's examples speak HTTP/1.1 to a plain http:// URL, so HTTP/2 keeps the strict behaviour.
        if (!WITH_BODY.contains(request.method()) || request.version() == HttpVersion.HTTP_2) {
            return false;
        }
        String path = request.path();
        if (path == null || !path.startsWith("/api/") || path.contains("/webhooks/")) {
            return false;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            String bare = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!bare.equals(FORM)) {
                return false;
            }
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        try {
            long bytes = Long.parseLong(length.strip());
            return bytes > 0 && bytes <= MAX_RELABELLED_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One JSON object or array and nothing after it; a form such as {@code a=1&b=2} is not. */
    static boolean isJson(Buffer body) {
        byte[] bytes = body.getBytes();
        int first = 0;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) {
            first++;
        }
        if (first == bytes.length || (bytes[first] != '{' && bytes[first] != '[')) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(bytes)) {
            parser.nextToken();
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException malformed) {
            return false;
        }
    }
}
