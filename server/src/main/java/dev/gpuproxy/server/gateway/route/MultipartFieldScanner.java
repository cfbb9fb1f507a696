package dev.gpuproxy.server.gateway.route;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a few small text fields ({@code model}, {@code stream}) out of a multipart/form-data body as it streams past,
 * keeping only a small window in memory: the file part in between is skipped, wherever it comes (the OpenAI SDKs send
 * the file before the model). Only real part boundaries count, so a file that happens to contain
 * {@code name="model"} changes nothing.
 */
public final class MultipartFieldScanner {

    /** Part headers longer than this are not a form field worth reading. */
    private static final int MAX_HEADERS = 8 * 1024;
    /** A field value longer than this is not a model name or a flag. */
    private static final int MAX_VALUE = 1024;
    private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?;\\s*name=\"([^\"]*)\"");

    private enum State { SEEK_DELIMITER, HEADERS, VALUE }

    private final byte[] delimiter;
    private final Set<String> wanted;
    private final Map<String, String> fields = new HashMap<>();
    private Buffer window;
    private State state = State.SEEK_DELIMITER;
    private String field;

    MultipartFieldScanner(String boundary, Set<String> wanted) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.wanted = wanted;
        // The first boundary has no line break before it: pretend one, so every boundary looks the same.
        this.window = Buffer.buffer("\r\n");
    }

    /** The boundary parameter of a multipart/form-data Content-Type, or null when it is not one. */
    public static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        Matcher m = Pattern.compile("(?i);\\s*boundary=(\"([^\"]+)\"|[^;\\s]+)").matcher(contentType);
        if (!m.find()) {
            return null;
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(1);
        return boundary.isEmpty() || boundary.length() > 70 ? null : boundary;
    }

    void feed(Buffer chunk) {
        window.appendBuffer(chunk);
        int at = 0;
        while (true) {
            if (state == State.SEEK_DELIMITER) {
                int found = indexOf(window, delimiter, at);
                if (found < 0) {
                    // Keep just enough to recognise a delimiter split across chunks.
                    at = Math.max(at, window.length() - delimiter.length + 1);
                    break;
                }
                at = found + delimiter.length;
                state = State.HEADERS;
            } else if (state == State.HEADERS) {
                int end = indexOf(window, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
                if (end < 0) {
                    if (window.length() - at > MAX_HEADERS) {
                        state = State.SEEK_DELIMITER;
                        continue;
                    }
                    break;
                }
                String headers = window.getString(at, end, "UTF-8");
                at = end + 4;
                Matcher name = NAME.matcher(headers);
                boolean isFile = headers.toLowerCase(Locale.ROOT).contains("filename");
                if (name.find() && !isFile && wanted.contains(name.group(1)) && !fields.containsKey(name.group(1))) {
                    field = name.group(1);
                    state = State.VALUE;
                } else {
                    state = State.SEEK_DELIMITER;
                }
            } else {
                int found = indexOf(window, delimiter, at);
                if (found < 0) {
                    if (window.length() - at > MAX_VALUE) {
                        state = State.SEEK_DELIMITER;
                        continue;
                    }
                    break;
                }
                if (found - at <= MAX_VALUE) {
                    fields.put(field, window.getString(at, found, "UTF-8"));
                }
                at = found + delimiter.length;
                state = State.HEADERS;
            }
        }
        window = window.getBuffer(Math.min(at, window.length()), window.length());
    }

    /** The value of {@code name} seen so far, or null. */
    String field(String name) {
        return fields.get(name);
    }

    private static int indexOf(Buffer data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i + pattern.length <= data.length(); i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data.getByte(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
