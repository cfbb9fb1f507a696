package dev.gpuproxy.server.stream;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open {@code /ws} connection: its user, topics, running chats, when it was last heard from, and a bounded send
 * queue. Messages not yet written to the socket are counted; one more than the bound closes the connection as too
 * slow (1008), so a client that stops reading costs at most that many messages of memory.
 */
final class ClientSession {

    /** Close code for a client dropped because it does not keep up (policy violation). */
    static final short SLOW_CONSUMER = 1008;

    private final WebSocketConnection connection;
    private final long userId;
    private final boolean admin;
    private final String credential;
    private final int maxPending;
    private final SocketAddress listener;
    private final Consumer<ClientSession> droppedAsSlow;
    private final Set<Topic> topics = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> chats = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger highWater = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();

    ClientSession(WebSocketConnection connection, long userId, boolean admin, String credential, int maxPending,
                  Consumer<ClientSession> droppedAsSlow) {
        this.droppedAsSlow = droppedAsSlow;
        this.connection = connection;
        this.userId = userId;
        this.admin = admin;
        this.credential = credential;
        this.maxPending = maxPending;
        this.listener = listener(connection.handshakeRequest().localAddress());
    }

    /** This server's address as the client reached it ({@code host:port}, IPv6 in brackets). */
    private static SocketAddress listener(String local) {
        int colon = local.lastIndexOf(':');
        String host = local.substring(0, colon).replace("[", "").replace("]", "");
        return SocketAddress.inetSocketAddress(Integer.parseInt(local.substring(colon + 1)), host);
    }

    /** Where this server listens for the client's connection: streamed chats call the gateway there. */
    SocketAddress listener() {
        return listener;
    }

    boolean secure() {
        return connection.isSecure();
    }

    String id() {
        return connection.id();
    }

    long userId() {
        return userId;
    }

    boolean admin() {
        return admin;
    }

    /** The API key or token the client connected with; streamed chats call the gateway with it. */
    String credential() {
        return credential;
    }

    Set<Topic> topics() {
        return topics;
    }

    Map<String, Runnable> chats() {
        return chats;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** The most messages that were ever waiting for this client at once. */
    int pendingHighWater() {
        return highWater.get();
    }

    boolean isOpen() {
        return connection.isOpen() && !dropped.get();
    }

    /** Queues one text message; false when the client is gone or was just dropped for being too slow. */
    boolean send(String text) {
        if (!isOpen()) {
            return false;
        }
        int waiting = pending.incrementAndGet();
        if (waiting > maxPending) {
            pending.decrementAndGet();
            if (close(SLOW_CONSUMER, "Client too slow: " + maxPending + " messages waiting to be read")) {
                droppedAsSlow.accept(this);
            }
            return false;
        }
        highWater.accumulateAndGet(waiting, Math::max);
        connection.sendText(text).subscribe().with(written -> pending.decrementAndGet(),
                failed -> pending.decrementAndGet());
        return true;
    }

    /** Closes once with {@code code} and {@code reason}, cancelling running chats; false when already closing. */
    boolean close(short code, String reason) {
        if (!dropped.compareAndSet(false, true)) {
            return false;
        }
        chats.values().forEach(Runnable::run);
        chats.clear();
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, failure -> { });
        return true;
    }
}
