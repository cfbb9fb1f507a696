package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gpuproxy.cli.common.CliException;

/** The one Jackson mapper of the tools, and small helpers for reading the server's JSON as text. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** A field as display text: "-" when it is missing or null, the plain value otherwise. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** A required field as text; its absence means the server does not speak the expected contract. */
    public static String required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new CliException(
                    "the server's answer lacks the field '" + field + "'; is it a gpuproxyd of a matching version?");
        }
        return value.asText();
    }
}
