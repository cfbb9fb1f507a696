package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirstByteTimeoutsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private Vertx vertx;
    private Context loop;
    private ThreadLocal<FirstByteTimeouts> perLoop;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        loop = ((ContextInternal) vertx.getOrCreateContext()).owner().createEventLoopContext();
        perLoop = FirstByteTimeouts.perEventLoop(TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void watchesFireInOrderNoEarlierThanTheirDeadlineUnlessCancelled() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        long[] startedAt = new long[3];
        long[] firedAt = new long[3];
        FirstByteTimeouts.Watch[] watches = new FirstByteTimeouts.Watch[3];
        on(loop, () -> {
            for (int i = 0; i < 2; i++) {
                int n = i;
                startedAt[n] = System.nanoTime();
                watches[n] = perLoop.get().start(() -> {
                    firedAt[n] = System.nanoTime();
                    fired.add("w" + n);
                });
            }
            return null;
        });
        Thread.sleep(150);
        on(loop, () -> {
            startedAt[2] = System.nanoTime();
            watches[2] = perLoop.get().start(() -> {
                firedAt[2] = System.nanoTime();
                fired.add("w2");
            });
            watches[1].cancel();
            watches[1].cancel(); // twice is harmless
            return null;
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fired.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(TIMEOUT.toMillis()); // time for the cancelled one to fire, if it wrongly could

        assertThat(fired).containsExactly("w0", "w2");
        assertThat(firedAt[0] - startedAt[0]).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
        assertThat(firedAt[2] - startedAt[2]).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
        assertThat(on(loop, () -> perLoop.get().watching())).isZero();
        on(loop, () -> {
            watches[0].cancel(); // after it fired: harmless
            return null;
        });
    }

    @Test
    void aWatchCancelledInTimeNeverFiresAndTheListEmpties() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        on(loop, () -> {
            FirstByteTimeouts timeouts = perLoop.get();
            for (int i = 0; i < 100; i++) {
                timeouts.start(() -> fired.add("late")).cancel();
            }
            return null;
        });
        assertThat(on(loop, () -> perLoop.get().watching())).isZero();
        Thread.sleep(TIMEOUT.toMillis() * 2);
        assertThat(fired).isEmpty();
    }

    @Test
    void eachEventLoopHasItsOwnAndOtherThreadsOrNoTimeoutGetNone() throws Exception {
        Context other = ((ContextInternal) vertx.getOrCreateContext()).owner().createEventLoopContext();
        while (((ContextInternal) other).nettyEventLoop() == ((ContextInternal) loop).nettyEventLoop()) {
            other = ((ContextInternal) vertx.getOrCreateContext()).owner().createEventLoopContext();
        }
        FirstByteTimeouts first = on(loop, perLoop::get);
        assertThat(first).isNotNull();
        assertThat(on(loop, perLoop::get)).isSameAs(first);
        assertThat(on(other, perLoop::get)).isNotNull().isNotSameAs(first);
        assertThat(perLoop.get()).as("a thread with no event loop").isNull();
        assertThat(on(loop, FirstByteTimeouts.perEventLoop(Duration.ZERO)::get)).as("no timeout").isNull();
    }

    private static <T> T on(Context context, Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
