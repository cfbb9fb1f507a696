package dev.gpuproxy.provider.vastai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.provider.spi.ProviderException;
import java.math.BigDecimal;
import java.util.Map;

/** Reading and writing vast.ai JSON: prices stay exact decimals, missing fields read as absent, not as zero-crashes. */
final class VastJson {

    /** Floats as BigDecimal so a price like 0.3517 is not turned into a binary approximation. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private VastJson() {
    }

    static JsonNode read(String body) throws Exception {
        return MAPPER.readTree(body);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        return node.toString();
    }

    /** Text of a field, or null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.doubleValue() : 0;
    }

    static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    static Map<String, Object> toMap(JsonNode node) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(node, Map.class);
        return map;
    }

    /** Fails unless the node is a JSON object, because every vast.ai answer is one. */
    static JsonNode requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw ProviderException.malformed(VastAiProviderFactory.ID, what + " is not a JSON object", null);
        }
        return node;
    }

    /**
     * vast.ai sometimes answers 200 with {@code {"success":false,...}}; that is a refusal, not a success.
     * {@code no_such_ask} means the offer is gone from the market.
     */
    static void requireSuccess(JsonNode answer, String what) {
        requireObject(answer, what);
        if (answer.path("success").isBoolean() && !answer.path("success").booleanValue()) {
            String message = what + " was refused: " + VastErrors.describe(answer);
            throw "no_such_ask".equals(text(answer, "error"))
                    ? ProviderException.notFound(VastAiProviderFactory.ID, message)
                    : ProviderException.invalidRequest(VastAiProviderFactory.ID, message);
        }
    }
}
