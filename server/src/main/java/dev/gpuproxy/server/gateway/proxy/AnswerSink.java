package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.gateway.metering.UsageTracker;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Where a relayed answer's body goes. A non-streamed answer whose Content-Length is known and small enough to hold
 * (no larger than what is read for usage anyway) is held and sent with its head in one {@code end(buffer)}: one write
 * and one flush instead of a write per chunk and an end. Anything else is written as it arrives, with backpressure.
 */
public final class AnswerSink {

    private final HttpServerResponse out;
    /** The held answer, or null when chunks are written as they arrive. */
    private final Buffer held;

    private AnswerSink(HttpServerResponse out, Buffer held) {
        this.out = out;
        this.held = held;
    }

    /** Writes every chunk as it arrives (a stream, an answer of unknown or large length, a rewritten body). */
    public static AnswerSink writeThrough(HttpServerResponse out) {
        return new AnswerSink(out, null);
    }

    /**
     * Holds the answer when {@code contentLength} (the backend's header, already set on {@code out}) announces a body
     * of at most {@link UsageTracker#MAX_PARSED_BYTES}; otherwise writes through.
     */
    public static AnswerSink forLength(HttpServerResponse out, String contentLength) {
        long length;
        try {
            length = contentLength == null ? -1 : Long.parseLong(contentLength.trim());
        } catch (NumberFormatException unreadable) {
            length = -1;
        }
        if (length < 0 || length > UsageTracker.MAX_PARSED_BYTES) {
            return writeThrough(out);
        }
        return new AnswerSink(out, Buffer.buffer((int) length));
    }

    /** True when the answer is held and goes out whole at {@link #end}. */
    public boolean holdsWhole() {
        return held != null;
    }

    /** The answer held so far (for its usage); only when {@link #holdsWhole()}. */
    public Buffer held() {
        return held;
    }

    public void write(Buffer chunk) {
        if (held != null) {
            held.appendBuffer(chunk);
        } else {
            out.write(chunk);
        }
    }

    /** True when the client cannot take more now; a held answer never pushes back (its size is bounded). */
    public boolean full() {
        return held == null && out.writeQueueFull();
    }

    /** Sends {@code rest} (may be empty) and ends the answer: with what was held, in one write. */
    public void end(Buffer rest) {
        if (held == null) {
            out.end(rest);
        } else {
            out.end(rest.length() == 0 ? held : held.appendBuffer(rest));
        }
    }
}
