package dev.gpuproxy.server.stream;

import dev.gpuproxy.api.sse.SseLineReader;
import dev.gpuproxy.server.config.StreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Streamed chat over {@code /ws}: the client's request goes to this server's own {@code /v1/chat/completions} (on the
 * listener the client connected to) with the
 * credential the client connected with, so admission, credits, routing, failover and metering are exactly those of
 * the HTTP gateway; the SSE answer comes back as {@code chunk} messages and a final {@code done} with the usage.
 * A chat ends when the client cancels it or disconnects (the gateway then stops the backend's work).
 */
@ApplicationScoped
public class ChatStreamer {

    private static final String CHAT_PATH = "/v1/chat/completions";

    private final HttpClient client;
    private final int maxChats;

    ChatStreamer(Vertx vertx, StreamConfig config) {
        this.maxChats = config.maxChats();
        // Loopback to ourselves: the certificate (if any) is our own, for a name that is not 127.0.0.1.
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTrustAll(true)
                .setVerifyHost(false));
    }

    void start(ClientSession session, Object idValue, Object requestValue) {
        String id = idValue instanceof String s && !s.isBlank() && s.length() <= 100 ? s : null;
        if (id == null) {
            session.send(StreamMessages.error(null, 400, "invalid_chat", "A chat needs an id (a string of 1-100 "
                    + "characters) to tag its chunks"));
            return;
        }
        if (!(requestValue instanceof JsonObject request)) {
            session.send(StreamMessages.error(id, 400, "invalid_chat", "A chat needs a request: the body of "
                    + "POST /v1/chat/completions"));
            return;
        }
        if (session.chats().containsKey(id)) {
            session.send(StreamMessages.error(id, 409, "duplicate_chat", "Chat " + id + " is still running"));
            return;
        }
        if (session.chats().size() >= maxChats) {
            session.send(StreamMessages.error(id, 429, "too_many_chats", "At most " + maxChats
                    + " chats may run at once on one connection"));
            return;
        }
        Buffer body = request.copy().put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true)).toBuffer();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setServer(session.listener())
                .setHost(session.listener().host()).setPort(session.listener().port()).setSsl(session.secure())
                .setURI(CHAT_PATH)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                .putHeader("Authorization", "Bearer " + session.credential());
        session.chats().put(id, () -> { }); // reserves the id until the request exists
        client.request(options).compose(upstream -> {
            session.chats().put(id, () -> upstream.reset());
            if (!session.isOpen()) {
                upstream.reset();
            }
            return upstream.send(body);
        }).onComplete(result -> {
            if (result.failed()) {
                session.chats().remove(id);
                session.send(StreamMessages.error(id, 502, "gateway_unreachable", "The chat could not be started"));
                return;
            }
            relay(session, id, result.result());
        });
    }

    void cancel(ClientSession session, Object idValue) {
        Runnable cancel = idValue instanceof String id ? session.chats().remove(id) : null;
        if (cancel == null) {
            session.send(StreamMessages.error(idValue instanceof String s ? s : null, 404, "unknown_chat",
                    "No running chat " + idValue));
            return;
        }
        cancel.run();
        session.send(StreamMessages.error((String) idValue, 499, "cancelled", "The chat was cancelled"));
    }

    private void relay(ClientSession session, String id, HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.body().onComplete(read -> {
                session.chats().remove(id);
                String message = "The gateway answered " + response.statusCode();
                String code = "upstream_error";
                if (read.succeeded()) {
                    try {
                        JsonObject error = read.result().toJsonObject().getJsonObject("error");
                        message = error.getString("message", message);
                        code = error.getString("code", error.getString("type", code));
                    } catch (RuntimeException notOpenAiShape) {
                        // keep the generic message
                    }
                }
                session.send(StreamMessages.error(id, response.statusCode(), code, message));
            });
            return;
        }
        String[] finishReason = {null};
        JsonObject[] usage = {null};
        SseLineReader events = new SseLineReader(event -> {
            String data = event.data().strip();
            if (data.equals("[DONE]") || data.isEmpty()) {
                return;
            }
            JsonObject chunk;
            try {
                chunk = new JsonObject(data);
            } catch (RuntimeException notJson) {
                return;
            }
            if (chunk.containsKey("error")) {
                JsonObject error = chunk.getJsonObject("error");
                session.send(StreamMessages.error(id, 502, error.getString("code", "stream_failed"),
                        error.getString("message", "The stream failed")));
                return;
            }
            if (chunk.getValue("usage") instanceof JsonObject reported) {
                usage[0] = reported;
            }
            JsonArray choices = chunk.getJsonArray("choices");
            if (choices != null && !choices.isEmpty()) {
                JsonObject choice = choices.getJsonObject(0);
                String content = choice.getJsonObject("delta", new JsonObject()).getString("content");
                if (content != null && !content.isEmpty() && !session.send(StreamMessages.chunk(id, content))) {
                    response.request().reset(); // the client is gone or too slow: stop the work
                }
                if (choice.getString("finish_reason") != null) {
                    finishReason[0] = choice.getString("finish_reason");
                }
            }
        });
        response.handler(chunk -> events.feed(chunk.getBytes()));
        response.exceptionHandler(error -> {
            if (session.chats().remove(id) != null) {
                session.send(StreamMessages.error(id, 502, "stream_failed", "The stream broke off"));
            }
        });
        response.endHandler(v -> {
            if (session.chats().remove(id) != null) {
                session.send(StreamMessages.done(id, finishReason[0], usage[0]));
            }
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
