package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A server answer in both forms a command needs: the typed model it reads for tables and messages, and the JSON
 * exactly as the server sent it, which {@code --format json} prints unchanged (field order and fields the model
 * does not know included).
 *
 * @param json  the answer as sent; a missing node when the body was empty
 * @param value the answer read as the model type; null when the body was empty
 */
public record Reply<T>(JsonNode json, T value) {

    /** The same answer read as another model, for endpoints whose answer has more than one shape. */
    public <U> U as(Class<U> type) {
        return Json.read(json, type);
    }
}
