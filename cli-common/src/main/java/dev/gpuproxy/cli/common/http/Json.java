package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gpuproxy.cli.common.CliException;

/** The one Jackson mapper of the tools, and reading the server's JSON into the typed models of api-model. */
public final class Json {

    /** Reads decimals as exact BigDecimals, so money shows as the server wrote it ({@code 1.10}, not 1.1). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /**
     * Reads an answer as a model; an answer that does not fit the model means the server speaks another contract.
     * Fields the model does not know are ignored.
     */
    public static <T> T read(JsonNode answer, Class<T> type) {
        if (answer == null || answer.isMissingNode() || answer.isNull()) {
            return null;
        }
        try {
            return MAPPER.treeToValue(answer, type);
        } catch (JsonProcessingException e) {
            throw new CliException("the server's answer does not have the expected shape ("
                    + e.getOriginalMessage() + "); is it a gpuproxyd of a matching version?", e);
        }
    }

    /** Reads one JSON text (a stream event) as a model; null when it is not JSON of that shape. */
    public static <T> T readText(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A value as one line of JSON, for nested objects shown in a details line. */
    public static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON", e);
        }
    }

    /**
     * A required value; its absence means the server does not speak the expected contract.
     *
     * @param field the server's field name, named in the message
     */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new CliException(
                    "the server's answer lacks the field '" + field + "'; is it a gpuproxyd of a matching version?");
        }
        return value;
    }
}
