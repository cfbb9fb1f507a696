package dev.gpuproxy.server.gateway.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The prompt tokens charged when the backend never reports its own count (a stream cut before its usage chunk): the
 * characters of the prompt's text only, four to a token. The JSON around it (field names, the model, sampling
 * parameters) is not part of what the model reads, so it is not counted; chat templates only add tokens, so this
 * stays at or below what the backend would have reported for the whole answer.
 *
 * <p>The text is counted while the request is read ({@code GenerationRequest}), from the members {@code messages}
 * (OpenAI, Anthropic), {@code system}, {@code prompt} and {@code input}.
 */
public final class PromptTextEstimate {

    private PromptTextEstimate() {
    }

    /** At least one token for {@code chars} characters of prompt text. */
    public static long tokens(long chars) {
        return Math.max(1, chars / 4);
    }

    /**
     * The characters of text in the value the parser stands on, which it reads to its end: a string; the text of each
     * item of an array; of an object (a message {role, content} or a content part {type: "text", text}) its
     * {@code content} and {@code text} members. Images and the like are not text. A member given twice counts once,
     * its last value, as a JSON object read into a map would have it.
     */
    public static long textLength(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getTextLength();
        }
        long length = 0;
        if (token == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                length += textLength(parser);
            }
        } else if (token == JsonToken.START_OBJECT) {
            long content = 0;
            long text = 0;
            for (String member = parser.nextFieldName(); member != null; member = parser.nextFieldName()) {
                parser.nextToken();
                if (member.equals("content")) {
                    content = textLength(parser);
                } else if (member.equals("text")) {
                    text = textLength(parser);
                } else {
                    parser.skipChildren();
                }
            }
            length = content + text;
        }
        return length;
    }
}
