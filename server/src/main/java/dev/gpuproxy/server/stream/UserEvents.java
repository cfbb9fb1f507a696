package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.common.redis.RedisCircuit;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * Publishes what happened to a user (instance states, reservation progress, credit changes) to that user's WebSocket
 * clients on every replica: through one Redis pub/sub channel when Redis is configured (each replica subscribes and
 * hands the event to its own connections), in-process otherwise. Events of a transaction go out only once it
 * commits, so a client never sees a change that was rolled back. Publishing never fails the business operation.
 */
@ApplicationScoped
public class UserEvents {

    private static final long RESUBSCRIBE_MILLIS = 5_000;

    private final OptionalRedis redis;
    private final RedisCircuit circuit;
    private final SocketSessions sessions;
    private final TransactionSynchronizationRegistry transactions;
    private final Vertx vertx;
    private final Clock clock;
    private volatile boolean stopped;

    UserEvents(OptionalRedis redis, RedisCircuit circuit, SocketSessions sessions,
               TransactionSynchronizationRegistry transactions, Vertx vertx, Clock clock) {
        this.redis = redis;
        this.circuit = circuit;
        this.sessions = sessions;
        this.transactions = transactions;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** The Redis channel every replica listens on. */
    public String channel() {
        return redis.key("events");
    }

    /** Sends {@code data} on {@code topic} to {@code userId}'s clients, after the current transaction commits. */
    public void publish(long userId, Topic topic, Map<String, ?> data) {
        String message = new JsonObject().put("user_id", userId).put("topic", topic.wireName())
                .put("data", new JsonObject(new java.util.LinkedHashMap<>(data)))
                .put("at", clock.instant().toString()).encode();
        if (transactions.getTransactionKey() == null) {
            send(message);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    send(message);
                }
            }
        });
    }

    private void send(String message) {
        if (!sessions.anyOpen() && !redis.configured()) {
            return; // nobody here to tell, and no other replica to tell
        }
        if (redis.configured() && !circuit.available()) {
            sessions.deliver(message); // Redis is down: at least this replica's clients hear about it, at once
            return;
        }
        redis.dataSource().ifPresentOrElse(
                ds -> ds.pubsub(String.class).publish(channel(), message).subscribe().with(
                        ok -> { },
                        failure -> {
                            // Redis is down: at least this replica's clients hear about it.
                            Log.debugf("Publishing an event through Redis failed (%s); delivered locally only",
                                    failure.getMessage());
                            sessions.deliver(message);
                        }),
                () -> sessions.deliver(message));
    }

    void subscribe(@Observes StartupEvent start) {
        if (redis.configured()) {
            subscribeToRedis();
        }
    }

    private void subscribeToRedis() {
        if (stopped) {
            return;
        }
        ReactivePubSubCommands<String> pubsub = redis.dataSource().orElseThrow().pubsub(String.class);
        pubsub.subscribe(channel(), sessions::deliver).subscribe().with(
                subscriber -> Log.debugf("Listening for user events on %s", channel()),
                failure -> {
                    Log.warnf("Cannot subscribe to %s (%s); retrying in %d ms", channel(), failure.getMessage(),
                            RESUBSCRIBE_MILLIS);
                    vertx.setTimer(RESUBSCRIBE_MILLIS, id -> subscribeToRedis());
                });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
    }
}
