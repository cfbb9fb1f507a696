package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gpuproxy.cli.common.CliException;

/** The one Jackson mapper of the tools, and small helpers for reading the server's JSON as text. */
public final class Json {

    /** Reads decimals as exact BigDecimals, so money shows as the server wrote it ({@code 1.10}, not 1.1). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
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

    /**
     * A numeric field without trailing zeros ({@code 24.0} -> {@code 24}, {@code 0.40} -> {@code 0.4}) for tables;
     * "-" when it is missing, the plain text when it is not a number.
     */
    public static String number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (!value.isNumber()) {
            return value.asText();
        }
        return value.decimalValue().stripTrailingZeros().toPlainString();
    }
}
