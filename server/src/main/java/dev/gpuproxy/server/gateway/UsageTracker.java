package dev.gpuproxy.server.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage out of a response as it passes through, without holding up the bytes: from the {@code usage}
 * object of a JSON answer, or from the events of a stream (OpenAI's final usage chunk, Anthropic's message_start and
 * message_delta, the Responses API's response.completed). A stream without usage is counted: one token per content event.
 */
final class UsageTracker {

    /** JSON answers larger than this are forwarded but not parsed for usage (then the hold is charged). */
    private static final int MAX_PARSED_BYTES = 8 * 1024 * 1024;

    private final boolean stream;
    private final Buffer body;
    private final StringBuilder partialLine = new StringBuilder();
    private long promptTokens = -1;
    private long completionTokens = -1;
    private long contentEvents;
    private boolean tooLarge;

    UsageTracker(boolean stream) {
        this.stream = stream;
        this.body = stream ? null : Buffer.buffer();
    }

    void onChunk(Buffer chunk) {
        if (!stream) {
            if (body.length() + chunk.length() <= MAX_PARSED_BYTES) {
                body.appendBuffer(chunk);
            } else {
                tooLarge = true;
            }
            return;
        }
        partialLine.append(chunk.toString());
        int newline;
        while ((newline = partialLine.indexOf("\n")) >= 0) {
            String line = partialLine.substring(0, newline).trim();
            partialLine.delete(0, newline + 1);
            if (line.startsWith("data:")) {
                onEvent(line.substring(5).trim());
            }
        }
    }

    private void onEvent(String data) {
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        if (data.contains("\"response.") && onResponsesEvent(data)) {
            return;
        }
        if (!data.contains("\"usage\"")) {
            contentEvents++;
            return;
        }
        try {
            JsonObject event = new JsonObject(data);
            readUsage(event.getJsonObject("usage"));
            JsonObject message = event.getJsonObject("message");
            if (message != null) {
                readUsage(message.getJsonObject("usage"));
            }
            if (event.getJsonArray("choices") != null && !event.getJsonArray("choices").isEmpty()) {
                contentEvents++;
            }
        } catch (RuntimeException malformed) {
            contentEvents++;
        }
    }

    /**
     * An event of the Responses API: only its deltas are content (one token each until usage arrives); the usage is
     * in the response that {@code response.completed} (or {@code .incomplete}, {@code .failed}) carries.
     */
    private boolean onResponsesEvent(String data) {
        try {
            JsonObject event = new JsonObject(data);
            if (!(event.getValue("type") instanceof String type) || !type.startsWith("response.")) {
                return false;
            }
            if (type.endsWith(".delta")) {
                contentEvents++;
            }
            JsonObject response = event.getJsonObject("response");
            if (response != null) {
                readUsage(response.getJsonObject("usage"));
            }
            return true;
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Call at the end of a non-streamed answer. */
    void finish() {
        if (stream || tooLarge || body.length() == 0) {
            return;
        }
        try {
            readUsage(new JsonObject(body).getJsonObject("usage"));
        } catch (RuntimeException notJson) {
            // no usage to read: the estimate stands
        }
    }

    private void readUsage(JsonObject usage) {
        if (usage == null) {
            return;
        }
        Long in = firstLong(usage, "prompt_tokens", "input_tokens");
        Long out = firstLong(usage, "completion_tokens", "output_tokens");
        if (in != null) {
            promptTokens = in;
        }
        if (out != null) {
            completionTokens = out;
        }
    }

    private static Long firstLong(JsonObject object, String... names) {
        for (String name : names) {
            Object value = object.getValue(name);
            if (value instanceof Number number) {
                return number.longValue();
            }
        }
        return null;
    }

    /** True when the answer was too large to read its usage: what it cost is not known. */
    boolean unmeasured() {
        return tooLarge;
    }

    /** Content events counted so far (one per token until usage arrives). */
    long contentEvents() {
        return contentEvents;
    }

    boolean reported() {
        return promptTokens >= 0 || completionTokens >= 0;
    }

    long promptTokens(long fallback) {
        return promptTokens >= 0 ? promptTokens : fallback;
    }

    long completionTokens() {
        if (completionTokens >= 0) {
            return completionTokens;
        }
        return stream ? contentEvents : 0;
    }
}
