package dev.gpuproxy.server.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The one reader of the gateway's JSON request bodies: exactly one JSON object, nothing before or after it (a body with
 * trailing content is refused, not read up to its first value).
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** The body is not one JSON object; the message is safe to show. */
    public static final class NotAnObject extends Exception {
        NotAnObject(String message) {
            super(message, null, false, false);
        }
    }

    /** The body as a JSON object; an empty body is {@code null}. */
    public static JsonObject object(Buffer raw) throws NotAnObject {
        if (raw == null || raw.length() == 0) {
            return null;
        }
        Object value;
        try {
            // Vert.x's decoder reads one value and fails on any token after it ("Unexpected trailing token").
            value = Json.decodeValue(raw);
        } catch (DecodeException e) {
            throw malformed(e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw notAnObject();
        }
        return object;
    }

    /** The refusal of well-formed JSON that is not an object. */
    public static NotAnObject notAnObject() {
        return new NotAnObject("The request body must be a JSON object");
    }

    /** The refusal of a body that is not well-formed JSON, with the first line of the reader's {@code message}. */
    public static NotAnObject malformed(String message) {
        return new NotAnObject("The request body is not a JSON object: " + firstLine(message));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
