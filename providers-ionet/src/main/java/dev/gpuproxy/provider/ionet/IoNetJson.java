package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.provider.spi.ProviderException;
import java.math.BigDecimal;
import java.util.Map;

/** Reading and writing io.net JSON; every answer wraps its payload in {@code {"data": ...}}. */
final class IoNetJson {

    /** Floats as BigDecimal so USDC amounts stay exact. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private IoNetJson() {
    }

    static JsonNode read(String body) throws Exception {
        return MAPPER.readTree(body);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The {@code data} member of an answer, which must be present. */
    static JsonNode data(String body, String what) throws Exception {
        JsonNode answer = read(body);
        JsonNode data = answer == null ? null : answer.get("data");
        if (data == null || data.isNull()) {
            throw ProviderException.malformed(IoNetProviderFactory.ID, what + " has no data", null);
        }
        return data;
    }

    /** A member that must be an array; anything else means io.net changed its format. */
    static JsonNode array(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw ProviderException.malformed(IoNetProviderFactory.ID, what + " has no " + field + " array", null);
        }
        return value;
    }

    /** Text of a field, or null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
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

    /** io.net ids are integers or strings; send numeric ones as JSON numbers, as its own examples do. */
    static JsonNode id(String value) {
        return value.matches("\\d{1,18}") ? MAPPER.getNodeFactory().numberNode(Long.parseLong(value))
                : MAPPER.getNodeFactory().textNode(value);
    }
}
