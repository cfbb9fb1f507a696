package dev.gpuproxy.server.stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Collection;

/** The JSON messages {@code /ws} sends to its clients (documented in the README, "WebSocket /ws"). */
final class StreamMessages {

    private StreamMessages() {
    }

    static String welcome(long userId) {
        return new JsonObject().put("type", "welcome").put("user_id", userId).put("topics", names(Arrays.asList(
                Topic.values()))).encode();
    }

    static String subscribed(Collection<Topic> topics) {
        return new JsonObject().put("type", "subscribed").put("topics", names(topics)).encode();
    }

    static String event(Topic topic, JsonObject data, String at) {
        return new JsonObject().put("type", "event").put("topic", topic.wireName()).put("data", data).put("at", at)
                .encode();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    static String chunk(String chatId, String content) {
        return new JsonObject().put("type", "chunk").put("id", chatId).put("content", content).encode();
    }

    static String done(String chatId, String finishReason, JsonObject usage) {
        return new JsonObject().put("type", "done").put("id", chatId).put("finish_reason", finishReason)
                .put("usage", usage).encode();
    }

    /** An error; {@code chatId} and {@code status} are null when the error is not about one chat. */
    static String error(String chatId, Integer status, String code, String message) {
        JsonObject error = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (chatId != null) {
            error.put("id", chatId);
        }
        if (status != null) {
            error.put("status", status);
        }
        return error.encode();
    }

    private static JsonArray names(Collection<Topic> topics) {
        JsonArray names = new JsonArray();
        topics.stream().map(Topic::wireName).sorted().forEach(names::add);
        return names;
    }
}
