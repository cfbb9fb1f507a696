package dev.gpuproxy.server.common.devmode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Debug mode's request and response bodies of the REST API (JSON, form and text; first 8 KB), secrets masked by
 * {@link SecretMasker}, numbered like {@link RequestLog}'s lines. Off, each body passes straight through.
 */
@Provider
public class BodyLog implements ReaderInterceptor, WriterInterceptor {

    static final int MAX_LOGGED = 8 * 1024;

    private final DeveloperMode mode;
    private final ObjectMapper json;
    private final CurrentVertxRequest current;

    BodyLog(DeveloperMode mode, ObjectMapper json, CurrentVertxRequest current) {
        this.mode = mode;
        this.json = json;
        this.current = current;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!mode.debug() || !readable(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        Log.infof("--> #%s body %s", number(), shown(body, body.length, context.getMediaType()));
        return context.proceed();
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!mode.debug() || !readable(context.getMediaType())) {
            context.proceed();
            return;
        }
        Capture capture = new Capture(context.getOutputStream());
        context.setOutputStream(capture);
        try {
            context.proceed();
        } finally {
            Log.infof("<-- #%s body %s", number(), shown(capture.head.toByteArray(), capture.total, context.getMediaType()));
        }
    }

    private String number() {
        RoutingContext routing = current.getCurrent();
        Object number = routing == null ? null : routing.get(RequestLog.REQUEST_NUMBER);
        return number == null ? "?" : number.toString();
    }

    private String shown(byte[] head, long total, MediaType type) {
        int length = (int) Math.min(head.length, MAX_LOGGED);
        String text = new String(head, 0, length, StandardCharsets.UTF_8);
        if (total > MAX_LOGGED) {
            // A cut JSON document no longer parses; mask it as text (names are lost, values still scanned).
            return SecretMasker.parameters(SecretMasker.text(text)) + " ... (" + total + " bytes)";
        }
        String declared = type != null ? type.toString()
                : text.startsWith("{") || text.startsWith("[") ? MediaType.APPLICATION_JSON : null;
        return SecretMasker.body(text, declared, json);
    }

    /** Text-like bodies; a response whose type is not decided yet (a built Response) is looked at after writing. */
    private static boolean readable(MediaType type) {
        if (type == null) {
            return true;
        }
        String subtype = type.getSubtype().toLowerCase();
        return type.getType().equalsIgnoreCase("text") || subtype.contains("json")
                || subtype.equals("x-www-form-urlencoded") || subtype.contains("xml");
    }

    /** Passes every byte on and keeps the first {@link #MAX_LOGGED} for the log. */
    private static final class Capture extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private long total;

        Capture(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            if (head.size() < MAX_LOGGED) {
                head.write(b);
            }
            total++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            int keep = Math.min(len, MAX_LOGGED - head.size());
            if (keep > 0) {
                head.write(b, off, keep);
            }
            total += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }
}
