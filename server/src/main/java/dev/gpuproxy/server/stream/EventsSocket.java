package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /ws}: one authenticated connection per client (API key or JWT in a header, or from a browser the bearer
 * subprotocol) that subscribes to its user's events and runs streamed chat completions. Message types are in the
 * README ("WebSocket /ws"); refusals of single messages come back as {@code error} messages, the connection stays.
 */
@WebSocket(path = "/ws")
public class EventsSocket {

    @Inject
    SocketSessions sessions;
    @Inject
    ChatStreamer chats;

    @OnOpen
    void open(WebSocketConnection connection) {
        // CredentialUpgradeCheck let only verified callers get here.
        CredentialVerifier.Verified caller = connection.userData().get(CredentialUpgradeCheck.CALLER);
        long userId = caller.user().id();
        sessions.open(connection, userId, Caller.ROLE_ADMIN.equals(caller.user().role()),
                connection.userData().get(CredentialUpgradeCheck.CREDENTIAL)).send(StreamMessages.welcome(userId));
    }

    @OnTextMessage
    void message(WebSocketConnection connection, String text) {
        Optional<ClientSession> found = sessions.get(connection.id());
        if (found.isEmpty()) {
            return;
        }
        ClientSession session = found.get();
        session.heard();
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (RuntimeException notJson) {
            session.send(StreamMessages.error(null, null, "invalid_message", "Messages are JSON objects"));
            return;
        }
        String type = message.getValue("type") instanceof String t ? t : "";
        switch (type) {
            case "subscribe", "unsubscribe" -> changeTopics(session, message, type.equals("subscribe"));
            case "ping" -> session.send(StreamMessages.pong());
            case "chat" -> chats.start(session, message.getValue("id"), message.getValue("request"));
            case "cancel" -> chats.cancel(session, message.getValue("id"));
            default -> session.send(StreamMessages.error(null, null, "unknown_type", "Unknown message type '" + type
                    + "'; use subscribe, unsubscribe, chat, cancel or ping"));
        }
    }

    private void changeTopics(ClientSession session, JsonObject message, boolean subscribe) {
        Object listed = message.getValue("topics");
        if (!(listed instanceof JsonArray names) || names.isEmpty()) {
            session.send(StreamMessages.error(null, null, "invalid_topics", "topics must be a non-empty array"));
            return;
        }
        List<Topic> topics = new ArrayList<>();
        for (Object name : names) {
            Optional<Topic> topic = name instanceof String s ? Topic.parse(s) : Optional.empty();
            if (topic.isEmpty()) {
                session.send(StreamMessages.error(null, null, "unknown_topic", "Unknown topic " + name
                        + "; topics are instances, reservations, credits and loads"));
                return;
            }
            topics.add(topic.get());
        }
        if (subscribe) {
            session.topics().addAll(topics);
        } else {
            topics.forEach(session.topics()::remove);
        }
        session.send(StreamMessages.subscribed(session.topics()));
    }

    @OnPongMessage
    void pong(WebSocketConnection connection, Buffer data) {
        sessions.get(connection.id()).ifPresent(ClientSession::heard);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sessions.remove(connection.id()).ifPresent(session -> session.chats().values().forEach(Runnable::run));
    }
}
