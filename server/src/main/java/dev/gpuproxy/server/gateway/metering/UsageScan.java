package dev.gpuproxy.server.gateway.metering;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads the top-level {@code usage} object of a JSON answer with a streaming parser: the fields before it are skipped
 * without building anything, and the scan stops once it is read, so the answer (already forwarded) is never parsed
 * into a tree a second time. A {@code usage} nested deeper (a tool call's arguments, a message) is not the answer's.
 */
final class UsageScan {

    /** Token counts an answer reported; -1 for a count it did not give. */
    record Counts(long promptTokens, long completionTokens) {
        static final Counts NONE = new Counts(-1, -1);
    }

    private static final JsonFactory JSON = new JsonFactory();

    private UsageScan() {
    }

    /** The counts in {@code body}'s top-level usage; {@link Counts#NONE} when there is none or it is not JSON. */
    static Counts topLevel(Buffer body) {
        try (JsonParser parser = parserOver(body.getByteBuf())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Counts.NONE;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
                    return counts(parser);
                }
                parser.skipChildren();
            }
            return Counts.NONE;
        } catch (IOException | RuntimeException notJson) {
            return Counts.NONE;
        }
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

    /** Parses the buffer's own bytes in place when it has a backing array (the usual heap buffer), else streams them. */
    private static JsonParser parserOver(ByteBuf bytes) throws IOException {
        if (bytes.hasArray()) {
            return JSON.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        return JSON.createParser((java.io.InputStream) new ByteBufInputStream(bytes));
    }
}
