package dev.gpuproxy.server.gateway.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gpuproxy.server.gateway.HeapBytes;
import dev.gpuproxy.server.gateway.JsonParsers;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads the top-level {@code usage} object of a JSON answer without tokenizing the rest: the bytes before it are only
 * scanned for string boundaries and nesting (no numbers parsed, no names looked up), and only the usage object itself
 * goes through a JSON parser. The answer was already forwarded; this runs once per answer on the event loop, where a
 * full tokenization was about 4% of a proxied request. A {@code usage} nested deeper (a tool call's arguments, a
 * message) or inside a string is not the answer's.
 */
final class UsageScan {

    /** Token counts an answer reported; -1 for a count it did not give. */
    record Counts(long promptTokens, long completionTokens) {
        static final Counts NONE = new Counts(-1, -1);
    }

    private static final byte[] USAGE = {'u', 's', 'a', 'g', 'e'};

    private UsageScan() {
    }

    /** The counts in {@code body}'s top-level usage; {@link Counts#NONE} when there is none or it is not JSON. */
    static Counts topLevel(Buffer body) {
        HeapBytes answer = HeapBytes.of(body);
        byte[] bytes = answer.array();
        int to = answer.end();
        int usage = usageObjectAt(bytes, answer.offset(), to);
        if (usage < 0) {
            return Counts.NONE;
        }
        try (JsonParser parser = JsonParsers.over(bytes, usage, to - usage)) {
            parser.nextToken();
            return counts(parser);
        } catch (IOException | RuntimeException notJson) {
            return Counts.NONE;
        }
    }

    /**
     * Where the object that is the value of the top-level object's {@code usage} member starts (its {@code '{'}), or
     * -1: none, the answer is not an object, or the usage is not an object (then a later one may be).
     */
    static int usageObjectAt(byte[] json, int from, int to) {
        int i = skipWhitespace(json, from, to);
        if (i >= to || json[i] != '{') {
            return -1;
        }
        int depth = 0;
        boolean atName = false; // the next string at depth 1 is a member's name
        for (; i < to; i++) {
            switch (json[i]) {
                case '"' -> {
                    int close = closingQuote(json, i + 1, to);
                    if (close < 0) {
                        return -1;
                    }
                    if (atName && depth == 1 && isUsage(json, i + 1, close)) {
                        int value = skipWhitespace(json, close + 1, to);
                        if (value < to && json[value] == ':') {
                            value = skipWhitespace(json, value + 1, to);
                            if (value < to && json[value] == '{') {
                                return value;
                            }
                        }
                    }
                    atName = false;
                    i = close;
                }
                case '{', '[' -> {
                    depth++;
                    atName = depth == 1;
                }
                case '}', ']' -> {
                    if (--depth == 0) {
                        return -1; // the end of the top-level object
                    }
                }
                case ',' -> atName = depth == 1;
                default -> { }
            }
        }
        return -1;
    }

    /** The index of the quote that closes the string whose first character is at {@code from}, or -1. */
    private static int closingQuote(byte[] json, int from, int to) {
        for (int i = from; i < to; i++) {
            if (json[i] == '\\') {
                i++; // the escaped character, which may be a quote
            } else if (json[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUsage(byte[] json, int from, int to) {
        if (to - from != USAGE.length) {
            return false;
        }
        for (int i = 0; i < USAGE.length; i++) {
            if (json[from + i] != USAGE[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] json, int from, int to) {
        int i = from;
        while (i < to && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Reads the usage object the parser is at the start of: OpenAI's names first, then Anthropic's. */
    private static Counts counts(JsonParser parser) throws IOException {
        long prompt = -1;
        long completion = -1;
        long input = -1;
        long output = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!value.isNumeric()) {
                parser.skipChildren();
                continue;
            }
            long count = parser.getValueAsLong();
            switch (name) {
                case "prompt_tokens" -> prompt = count;
                case "completion_tokens" -> completion = count;
                case "input_tokens" -> input = count;
                case "output_tokens" -> output = count;
                default -> { }
            }
        }
        return new Counts(prompt >= 0 ? prompt : input, completion >= 0 ? completion : output);
    }
}
