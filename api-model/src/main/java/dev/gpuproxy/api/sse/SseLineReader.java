package dev.gpuproxy.api.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a Server-Sent Events stream as it arrives: feed it the bytes in chunks of any size, split anywhere (inside
 * a line ending, inside a multi-byte character), and it calls the listener once per complete event.
 *
 * <p>Follows the WHATWG event-stream rules: lines end with {@code \n}, {@code \r\n} or {@code \r}; a blank line
 * completes an event; {@code data:} lines of one event are joined with {@code \n}; lines starting with {@code :}
 * are comments; one space after the colon is not part of the value; a byte-order mark at the start is skipped.
 * An event without data is not delivered. Only {@link #end()} delivers what a stream left unterminated, so a caller
 * that stops without it (a cut stream) has seen exactly the events that arrived whole.
 *
 * <p>Built for the gateway's hot path: bytes are scanned in place, a line is copied only when it straddles two
 * chunks, and the only objects made per event are its data text and the {@link SseEvent}. Not thread-safe: one
 * reader per stream, fed in order.
 */
public final class SseLineReader {

    /** Receives the events of one stream. */
    public interface Listener {

        void onEvent(SseEvent event);

        /**
         * A non-blank line that is neither a comment nor an SSE field ({@code data}, {@code event}, {@code id},
         * {@code retry}), such as a JSON body sent by a server that did not stream. Ignored by default.
         */
        default void onOtherLine(String line) {
        }
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte COLON = ':';
    private static final byte SPACE = ' ';
    private static final byte[] DATA = ascii("data");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] ID = ascii("id");
    private static final byte[] RETRY = ascii("retry");
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /**
     * What both arrays below start as: they grow to what the stream needs. A gateway holds a reader per stream, and
     * 10,000 streams with fixed 1.25 KiB arrays kept 12 MiB alive.
     */
    private static final byte[] NONE = {};

    private final Listener listener;
    /** The start of a line whose end has not arrived yet. */
    private byte[] partialLine = NONE;
    private int partialLength;
    /** The data lines of the event being read, joined with LF. */
    private byte[] data = NONE;
    private int dataLength;
    private boolean hasData;
    private String type;
    private String lastId;
    /** The previous chunk ended with CR: an LF starting this one belongs to that line ending. */
    private boolean afterCr;
    private boolean firstLine = true;

    public SseLineReader(Listener listener) {
        this.listener = listener;
    }

    public void feed(byte[] chunk) {
        feed(chunk, 0, chunk.length);
    }

    public void feed(byte[] chunk, int offset, int length) {
        int end = offset + length;
        int lineStart = offset;
        int i = offset;
        if (afterCr && i < end) {
            afterCr = false;
            if (chunk[i] == LF) {
                lineStart = ++i;
            }
        }
        for (; i < end; i++) {
            byte b = chunk[i];
            if (b != LF && b != CR) {
                continue;
            }
            if (partialLength == 0) {
                line(chunk, lineStart, i - lineStart);
            } else {
                appendPartial(chunk, lineStart, i - lineStart);
                line(partialLine, 0, partialLength);
                partialLength = 0;
            }
            if (b == CR) {
                if (i + 1 == end) {
                    afterCr = true;
                } else if (chunk[i + 1] == LF) {
                    i++;
                }
            }
            lineStart = i + 1;
        }
        appendPartial(chunk, lineStart, end - lineStart);
    }

    /** The text form of {@link #feed(byte[])}, for callers that already hold characters. */
    public void feed(String text) {
        feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The stream ended: an unterminated last line is read and an event still missing its blank line is delivered.
     * Not for cut streams, whose unfinished event must not count.
     */
    public void end() {
        if (partialLength > 0) {
            line(partialLine, 0, partialLength);
            partialLength = 0;
        }
        dispatch();
    }

    private void line(byte[] bytes, int offset, int length) {
        if (firstLine) {
            firstLine = false;
            if (startsWith(bytes, offset, length, BYTE_ORDER_MARK)) {
                offset += BYTE_ORDER_MARK.length;
                length -= BYTE_ORDER_MARK.length;
            }
        }
        if (length == 0) {
            dispatch();
            return;
        }
        if (bytes[offset] == COLON) {
            return; // a comment, such as a keep-alive
        }
        int colon = indexOf(bytes, offset, length, COLON);
        int nameLength = colon < 0 ? length : colon - offset;
        int valueStart = colon < 0 ? offset + length : colon + 1;
        int end = offset + length;
        if (valueStart < end && bytes[valueStart] == SPACE) {
            valueStart++;
        }
        if (named(bytes, offset, nameLength, DATA)) {
            appendData(bytes, valueStart, end - valueStart);
        } else if (named(bytes, offset, nameLength, EVENT)) {
            type = new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
        } else if (named(bytes, offset, nameLength, ID)) {
            lastId = new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
        } else if (!named(bytes, offset, nameLength, RETRY)) {
            String other = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (!other.isBlank()) {
                listener.onOtherLine(other);
            }
        }
    }

    private void dispatch() {
        if (!hasData) {
            type = null;
            return;
        }
        SseEvent event = new SseEvent(type == null || type.isEmpty() ? SseEvent.DEFAULT_TYPE : type,
                new String(data, 0, dataLength, StandardCharsets.UTF_8), lastId);
        dataLength = 0;
        hasData = false;
        type = null;
        listener.onEvent(event);
    }

    private void appendData(byte[] bytes, int offset, int length) {
        int needed = dataLength + length + (hasData ? 1 : 0);
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
        }
        if (hasData) {
            data[dataLength++] = LF;
        }
        System.arraycopy(bytes, offset, data, dataLength, length);
        dataLength += length;
        hasData = true;
    }

    private void appendPartial(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        int needed = partialLength + length;
        if (needed > partialLine.length) {
            partialLine = Arrays.copyOf(partialLine, Math.max(needed, partialLine.length * 2));
        }
        System.arraycopy(bytes, offset, partialLine, partialLength, length);
        partialLength = needed;
    }

    private static boolean named(byte[] bytes, int offset, int length, byte[] name) {
        return length == name.length && startsWith(bytes, offset, length, name);
    }

    private static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int offset, int length, byte wanted) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
