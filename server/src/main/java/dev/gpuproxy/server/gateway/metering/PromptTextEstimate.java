package dev.gpuproxy.server.gateway.metering;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The prompt tokens charged when the backend never reports its own count (a stream cut before its usage chunk): the
 * characters of the prompt's text only, four to a token. The JSON around it (field names, the model, sampling
 * parameters) is not part of what the model reads, so it is not counted; chat templates only add tokens, so this
 * stays at or below what the backend would have reported for the whole answer.
 */
public final class PromptTextEstimate {

    private PromptTextEstimate() {
    }

    /** At least one token; reads {@code messages} (OpenAI, Anthropic), {@code system}, {@code prompt}, {@code input}. */
    public static long tokens(JsonObject request) {
        long chars = textLength(request.getValue("messages")) + textLength(request.getValue("system"))
                + textLength(request.getValue("prompt")) + textLength(request.getValue("input"));
        return Math.max(1, chars / 4);
    }

    /** The characters of a message's text: a string, or the text parts of an array or object. */
    private static long textLength(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        long length = 0;
        if (value instanceof JsonArray array) {
            for (Object item : array) {
                length += textLength(item);
            }
        } else if (value instanceof JsonObject object) {
            // A message ({role, content}) or a content part ({type: "text", text}); images and the like are not text.
            length += textLength(object.getValue("content")) + textLength(object.getValue("text"));
        }
        return length;
    }
}
