package dev.gpuproxy.server.gateway.route;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gpuproxy.server.gateway.JsonBodies;
import dev.gpuproxy.server.gateway.JsonParsers;
import dev.gpuproxy.server.gateway.metering.MaxTokens;
import dev.gpuproxy.server.gateway.metering.PromptTextEstimate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway needs from a generation request (OpenAI chat, completions, embeddings, Responses, Anthropic
 * messages), read in one pass over its bytes without building the JSON tree: the model, whether it streams, its
 * output-token limits, the Responses API's previous response, and the characters of prompt text. The body must be
 * exactly one JSON object, read as Vert.x reads JSON ({@link JsonBodies}, {@link JsonParsers}); a member given twice
 * counts with its last value, as in a map. Only a request the gateway must change is read into a tree ({@link #editable()}).
 */
public final class GenerationRequest {

    private static final String[] TEXT_MEMBERS = {"messages", "system", "prompt", "input"};

    private final Buffer raw;
    private String model;
    private boolean stream;
    private String previousResponseId;
    private final Map<String, Object> tokenLimits = new HashMap<>(4);
    private final long[] textByMember = new long[TEXT_MEMBERS.length];

    private GenerationRequest(Buffer raw) {
        this.raw = raw;
    }

    /** The request in {@code raw}; {@code null} for an empty body. */
    public static GenerationRequest read(Buffer raw) throws JsonBodies.NotAnObject {
        if (raw == null || raw.length() == 0) {
            return null;
        }
        GenerationRequest request = new GenerationRequest(raw);
        try (JsonParser parser = JsonParsers.over(raw)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw JsonBodies.notAnObject();
            }
            for (String member = parser.nextFieldName(); member != null; member = parser.nextFieldName()) {
                request.member(member, parser.nextToken(), parser);
            }
            if (parser.nextToken() != null) {
                throw JsonBodies.malformed("Unexpected trailing token");
            }
        } catch (IOException e) {
            throw JsonBodies.malformed(e.getMessage());
        }
        return request;
    }

    private void member(String name, JsonToken value, JsonParser parser) throws IOException {
        switch (name) {
            case "model" -> model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            case "stream" -> stream = value == JsonToken.VALUE_TRUE;
            case "previous_response_id" -> previousResponseId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            case "max_tokens", "max_completion_tokens", "max_output_tokens" -> tokenLimits.put(name, limitValue(value, parser));
            default -> {
                for (int i = 0; i < TEXT_MEMBERS.length; i++) {
                    if (TEXT_MEMBERS[i].equals(name)) {
                        textByMember[i] = PromptTextEstimate.textLength(parser);
                        return;
                    }
                }
                parser.skipChildren();
            }
        }
    }

    /** The value as a JSON tree would hold it; for an array or object only its kind matters (an error names it). */
    private static Object limitValue(JsonToken value, JsonParser parser) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case START_ARRAY -> {
                parser.skipChildren();
                yield new JsonArray();
            }
            case START_OBJECT -> {
                parser.skipChildren();
                yield new JsonObject();
            }
            default -> null;
        };
    }

    /** The model asked for, when it is a string. */
    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** The Responses API's {@code previous_response_id}, when it is a string. */
    public String previousResponseId() {
        return previousResponseId;
    }

    /** The output-token limit {@code param} sets, validated as OpenAI does ({@link MaxTokens}); null when unset. */
    public Long tokenLimit(String param) throws MaxTokens.Invalid {
        return MaxTokens.read(param, tokenLimits.get(param));
    }

    /** The prompt's text in tokens, four characters to one ({@link PromptTextEstimate}). */
    public long promptTextTokens() {
        long chars = 0;
        for (long member : textByMember) {
            chars += member;
        }
        return PromptTextEstimate.tokens(chars);
    }

    /** The request as a new JSON tree, for a gateway that must change it before it goes to the backend. */
    public JsonObject editable() {
        return new JsonObject(raw);
    }
}
