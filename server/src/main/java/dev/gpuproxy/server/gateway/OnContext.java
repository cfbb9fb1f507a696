package dev.gpuproxy.server.gateway;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.impl.ContextInternal;

/**
 * Continues a request on its own Vert.x context: at once when the answer came back on that context's thread (a key
 * verified before, the in-memory rate limiter, a wallet already loaded: the usual case), queued to it when the answer
 * came from elsewhere (Redis, a worker thread, another event loop). {@code Context.runOnContext} always queues, which
 * cost every request a trip through the event loop's task queue for each admission step.
 */
public final class OnContext {

    private OnContext() {
    }

    public static void run(Context context, Handler<Void> task) {
        ((ContextInternal) context).execute(task);
    }
}
