package dev.gpuproxy.server.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a relayed Server-Sent Events stream into whole events, whatever chunks it arrives in: a metered stream is
 * passed on event by event, each counted before it goes out, and an event still missing its blank line waits for the
 * next chunk. Not thread-safe: one per stream, on its event loop.
 *
 * <p>Nothing is copied on the way unless an event straddles two chunks: events are views of the chunk that carried
 * them, and only the unfinished rest is copied, into a buffer of its own, so that appending the next chunk to it never
 * touches bytes already handed to the client's connection.
 *
 * <p>Between chunks it holds only that unfinished rest, never the chunk it was last given: a stream lives for minutes
 * and the next chunk may be seconds away, so a chunk kept until then outlives a young collection and is copied by it,
 * once for every stream held (ten thousand of them in the benchmark) and in every collection.
 */
final class WholeEvents {

    /** The start of an event whose end has not arrived yet, or null. */
    private Buffer tail;
    private Buffer chunk;
    private Buffer data;
    private ByteBuf bytes;
    /** Where the event last returned by {@link #next()} starts, and where the next one starts. */
    private int eventStart;
    private int nextStart;

    /** Takes the next chunk; the events it completes are read with {@link #next()}. */
    void add(Buffer chunk) {
        this.chunk = chunk;
        data = tail == null ? chunk : tail.appendBuffer(chunk);
        tail = null;
        bytes = data.getByteBuf();
        eventStart = 0;
        nextStart = 0;
    }

    /** The next whole event of what was added, or null when the rest is unfinished (kept for the next chunk). */
    Buffer next() {
        int end = eventEnd(bytes, nextStart);
        if (end < 0) {
            if (nextStart < data.length()) {
                tail = data.getBuffer(nextStart, data.length());
            }
            return null;
        }
        eventStart = nextStart;
        nextStart = end;
        return data.slice(eventStart, end);
    }

    /** The whole events before the one {@link #next()} returned last (empty when it was the first). */
    Buffer beforeLast() {
        return data.slice(0, eventStart);
    }

    /**
     * Every whole event of what was added (once {@link #next()} returned null); the last call for that chunk, after
     * which only the unfinished rest is kept.
     */
    Buffer whole() {
        Buffer whole = nextStart == data.length() ? data : data.slice(0, nextStart);
        chunk = null;
        data = null;
        bytes = null;
        return whole;
    }

    /** What arrived after the last whole event (at the stream's end: an event without its blank line); may be empty. */
    Buffer tail() {
        return tail == null ? Buffer.buffer() : tail;
    }

    /** The offset just after the blank line that ends the event starting at {@code from}, or -1. */
    private static int eventEnd(ByteBuf data, int from) {
        int base = data.readerIndex();
        int limit = data.writerIndex();
        for (int i = base + from; (i = data.indexOf(i, limit, (byte) '\n')) >= 0 && i + 1 < limit; i++) {
            byte next = data.getByte(i + 1);
            if (next == '\n') {
                return i + 2 - base;
            }
            if (next == '\r' && i + 2 < limit && data.getByte(i + 2) == '\n') {
                return i + 3 - base;
            }
        }
        return -1;
    }
}
