package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.config.StreamConfig;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This replica's open {@code /ws} connections, by id and by user: delivers published events to the connections of
 * the user they belong to that subscribed to their topic, and closes connections that went quiet.
 */
@ApplicationScoped
public class SocketSessions {

    /** Close code for a connection closed after its idle timeout (going away). */
    static final short IDLE = 1001;

    private final Map<String, ClientSession> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicLong droppedAsSlow = new AtomicLong();
    private final long idleTimeoutNanos;
    private final int maxPending;

    SocketSessions(StreamConfig config) {
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.maxPending = config.sendQueue();
    }

    /** Registers a new connection of {@code userId}; {@code credential} is what it authenticated with. */
    ClientSession open(WebSocketConnection connection, long userId, boolean admin, String credential) {
        ClientSession session = new ClientSession(connection, userId, admin, credential, maxPending,
                dropped -> {
                    droppedAsSlow.incrementAndGet();
                    remove(dropped.id());
                });
        byId.put(session.id(), session);
        byUser.computeIfAbsent(session.userId(), id -> ConcurrentHashMap.newKeySet()).add(session);
        return session;
    }

    /** How many connections were dropped for not reading fast enough since the start. */
    public long droppedAsSlow() {
        return droppedAsSlow.get();
    }

    Optional<ClientSession> remove(String connectionId) {
        ClientSession session = byId.remove(connectionId);
        if (session != null) {
            byUser.computeIfPresent(session.userId(), (id, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
        return Optional.ofNullable(session);
    }

    Optional<ClientSession> get(String connectionId) {
        return Optional.ofNullable(byId.get(connectionId));
    }

    boolean anyOpen() {
        return !byId.isEmpty();
    }

    Collection<ClientSession> all() {
        return byId.values();
    }

    /** How many connections {@code userId} has open on this replica. */
    public int openFor(long userId) {
        return byUser.getOrDefault(userId, Set.of()).size();
    }

    /** The highest number of messages that waited for any connection of {@code userId} still open. */
    public int pendingHighWater(long userId) {
        return byUser.getOrDefault(userId, Set.of()).stream().mapToInt(ClientSession::pendingHighWater).max()
                .orElse(0);
    }

    /** Hands one published event ({@code {user_id, topic, data, at}}) to its user's subscribed connections. */
    void deliver(String published) {
        JsonObject event;
        try {
            event = new JsonObject(published);
        } catch (RuntimeException malformed) {
            Log.warn("Ignoring a malformed user event from the events channel");
            return;
        }
        Long userId = event.getLong("user_id");
        Optional<Topic> topic = Topic.parse(event.getString("topic"));
        Set<ClientSession> sessions = userId == null ? null : byUser.get(userId);
        if (sessions == null || topic.isEmpty()) {
            return;
        }
        String message = StreamMessages.event(topic.get(), event.getJsonObject("data"), event.getString("at"));
        for (ClientSession session : sessions) {
            if (session.topics().contains(topic.get())) {
                session.send(message);
            }
        }
    }

    /** Closes every connection not heard from (message or pong) within the idle timeout, as of {@code nowNanos}. */
    public int closeIdle(long nowNanos) {
        List<ClientSession> idle = byId.values().stream()
                .filter(s -> nowNanos - s.lastHeardNanos() > idleTimeoutNanos).toList();
        idle.forEach(s -> s.close(IDLE, "Idle timeout: nothing received for "
                + idleTimeoutNanos / 1_000_000_000L + " s"));
        return idle.size();
    }
}
