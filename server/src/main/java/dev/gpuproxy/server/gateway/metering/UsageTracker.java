package dev.gpuproxy.server.gateway.metering;

import dev.gpuproxy.api.sse.SseEvent;
import dev.gpuproxy.api.sse.SseLineReader;
import dev.gpuproxy.server.gateway.HeapBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads token usage out of a response as it passes through, without holding up the bytes: from the {@code usage}
 * object of a JSON answer, or from the events of a stream (OpenAI's final usage chunk, a usage object in any other
 * chunk, Anthropic's message_start and message_delta, the Responses API's response.completed). The output of a stream
 * that did not end with its usage (cut: the client hung up, the backend died, a time limit or the hold ran out) is
 * what was delivered: one token per event that carries text, which is what vLLM and OpenAI send, or the backend's
 * own count so far when that is higher.
 * Events without text (the role-only first chunk, the finish chunk, a usage-only chunk) count nothing.
 *
 * <p>The gateway does not add {@code stream_options.include_usage} to requests: some OpenAI-compatible servers
 * refuse fields they do not know, and clients that read {@code choices[0]} of every chunk break on the usage-only
 * chunk it adds; a stream without usage is counted as above instead.
 */
public final class UsageTracker {

    /** JSON answers larger than this are forwarded but not parsed for usage (then the hold is charged). */
    public static final int MAX_PARSED_BYTES = 8 * 1024 * 1024;

    private final boolean stream;
    private final Buffer body;
    /** Splits the stream into events; an event still missing its blank line when the stream is cut counts nothing. */
    private final SseLineReader events;
    private long promptTokens = -1;
    private long completionTokens = -1;
    private long textEvents;
    private boolean tooLarge;
    /** A stream that reached its end (not cut): its reported usage is final. */
    private boolean ended;

    public UsageTracker(boolean stream) {
        this.stream = stream;
        this.body = stream ? null : Buffer.buffer();
        this.events = stream ? new SseLineReader(this::onEvent) : null;
    }

    public void onChunk(Buffer chunk) {
        if (!stream) {
            if (body.length() + chunk.length() <= MAX_PARSED_BYTES) {
                body.appendBuffer(chunk);
            } else {
                tooLarge = true;
            }
            return;
        }
        // read in place: the reader copies only a line that straddles two chunks
        HeapBytes bytes = HeapBytes.of(chunk);
        events.feed(bytes.array(), bytes.offset(), bytes.length());
    }

    private void onEvent(SseEvent sse) {
        String data = sse.data().strip();
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        if (data.contains("\"response.") && onResponsesEvent(data)) {
            return;
        }
        if (TextFields.carryText(data)) {
            textEvents++;
        }
        if (!data.contains("\"usage\"")) {
            return;
        }
        try {
            JsonObject event = new JsonObject(data);
            readUsage(event.getValue("usage") instanceof JsonObject usage ? usage : null);
            if (event.getValue("message") instanceof JsonObject message) {
                readUsage(message.getValue("usage") instanceof JsonObject usage ? usage : null);
            }
        } catch (RuntimeException malformed) {
            // no usage to read: the count of text events stands
        }
    }

    /**
     * An event of the Responses API: only its deltas carry text (one token each until usage arrives); the usage is
     * in the response that {@code response.completed} (or {@code .incomplete}, {@code .failed}) carries.
     */
    private boolean onResponsesEvent(String data) {
        try {
            JsonObject event = new JsonObject(data);
            if (!(event.getValue("type") instanceof String type) || !type.startsWith("response.")) {
                return false;
            }
            if (type.endsWith(".delta")) {
                textEvents++;
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

    /** Call when the answer ended whole (a stream not cut): its usage is read or, for a stream, final. */
    public void finish() {
        if (stream) {
            ended = true;
            return;
        }
        if (!tooLarge) {
            readWhole(body);
        }
    }

    /**
     * Call instead of {@link #onChunk} and {@link #finish()} when a non-streamed answer was held whole anyway (to be
     * sent in one write): its usage is read from {@code wholeBody} without copying it.
     */
    public void finish(Buffer wholeBody) {
        if (wholeBody.length() > MAX_PARSED_BYTES) {
            tooLarge = true;
            return;
        }
        readWhole(wholeBody);
    }

    /** Without usage (or not JSON) the estimate stands. */
    private void readWhole(Buffer answer) {
        if (answer.length() == 0) {
            return;
        }
        UsageScan.Counts counts = UsageScan.topLevel(answer);
        if (counts.promptTokens() >= 0) {
             promptTokens = counts.promptTokens();
        }
        if (counts.completionTokens() >= 0) {
             completionTokens = counts.completionTokens();
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

    /** Events that carried text so far (one token each until usage arrives). */
    public long textEvents() {
         return textEvents;
    }

    /** True when the answer was too large to read its usage: what it cost is not known. */
    public boolean unmeasured() {
        return tooLarge;
    }

    public boolean reported() {
        return promptTokens >= 0 || completionTokens >= 0;
    }

    public long promptTokens(long fallback) {
        return promptTokens >= 0 ? promptTokens : fallback;
    }

    public long completionTokens() {
        if (!stream || (ended && completionTokens >= 0)) {
            return Math.max(0, completionTokens);
        }
        // Cut, or ended without usage: what was delivered, unless the backend already counted more.
        return Math.max(completionTokens, textEvents);
    }
}
