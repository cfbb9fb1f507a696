package dev.gpuproxy.server.billing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Reads and writes the JSON object in {@code payments.metadata} (the answer given to the client, chain details). */
@ApplicationScoped
public class PaymentMetadata {

    private final ObjectMapper json;

    PaymentMetadata(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode read(PaymentEntity payment) {
        if (payment.metadata == null || payment.metadata.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(payment.metadata);
            return node instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    public void write(PaymentEntity payment, ObjectNode metadata) {
        payment.metadata = metadata.toString();
    }

    /** Sets one member. */
    public void put(PaymentEntity payment, String name, Object value) {
        ObjectNode metadata = read(payment);
        metadata.set(name, json.valueToTree(value));
        write(payment, metadata);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap(JsonNode node) {
        return node == null || node.isNull() ? null : json.convertValue(node, Map.class);
    }
}
