package dev.gpuproxy.bench.stub;

import dev.gpuproxy.bench.Args;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream every benchmark proxies to: an OpenAI chat-completions server that answers a fixed small JSON, or an
 * SSE stream of N chunks with a configurable first-token and inter-token delay. One process serves several
 * independent instances (one port each) with their own latency and a number of slots (requests served at once, like
 * the batch slots of a GPU server; the rest wait in FIFO order). Each instance can be made slower or failing mid-run
 * through {@code POST /_bench/control?slowdown=5&fail=true} (and {@code ?reset}), and counts what it served
 * ({@code GET /_bench/stats}).
 *
 * <p>{@code stub --instance name=u1,port=9001,latency=20,slots=4,jitter=0.1,chunks=20,token-ms=250,first-ms=50
 * [--instance ...] [--event-loops 2]}
 */
public final class UpstreamStub {

    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":"
            + "1700000000,\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello from the benchmark upstream.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":8,"
            + "\"completion_tokens\":8,\"total_tokens\":16}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHUNK = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},"
            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAILURE = ("{\"error\":{\"message\":\"upstream failure (benchmark)\",\"type\":"
            + "\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8);

    private UpstreamStub() {
    }

    /** What one instance was told at start. */
    record Spec(String name, int port, int latencyMs, int slots, double jitter, int chunks, int tokenMs, int firstMs) {

        static Spec parse(String text) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                String[] pair = part.split("=", 2);
                kv.put(pair[0].trim(), pair.length > 1 ? pair[1].trim() : "true");
            }
            int port = Integer.parseInt(kv.get("port"));
            return new Spec(kv.getOrDefault("name", "u" + port), port,
                    Integer.parseInt(kv.getOrDefault("latency", "0")), Integer.parseInt(kv.getOrDefault("slots", "0")),
                    Double.parseDouble(kv.getOrDefault("jitter", "0")), Integer.parseInt(kv.getOrDefault("chunks", "20")),
                    Integer.parseInt(kv.getOrDefault("token-ms", "100")),
                    Integer.parseInt(kv.getOrDefault("first-ms", "0")));
        }
    }

    /** One upstream instance: its live behaviour (changed through the control endpoint), slots and counters. */
    static final class Instance {
        final Spec spec;
        volatile double slowdown = 1;
        volatile boolean failing;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong slowedRequests = new AtomicLong();
        final AtomicLong failedRequests = new AtomicLong();
        final AtomicLong streams = new AtomicLong();
        private int busy;
        private int maxQueue;
        private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

        /** A request waiting for a slot; {@code dropped} answers it at once instead (reset). */
        private record Waiter(Context context, HttpServerResponse response, Runnable work, Runnable dropped) {}

        Instance(Spec spec) {
            this.spec = spec;
        }

        /** Runs {@code work} on {@code context} once a slot is free (at once when slots are unlimited). */
        void withSlot(Context context, HttpServerResponse response, Runnable work, Runnable dropped) {
            if (spec.slots() <= 0) {
                work.run();
                return;
            }
            synchronized (this) {
                if (busy >= spec.slots()) {
                    waiting.add(new Waiter(context, response, work, dropped));
                    maxQueue = Math.max(maxQueue, waiting.size());
                    return;
                }
                busy++;
            }
            work.run();
        }

        /**
         * Frees a slot, handing it to the longest waiter whose client is still there (a server stops work for a
         * client that went away, as vLLM aborts a disconnected request).
         */
        void release() {
            if (spec.slots() <= 0) {
                return;
            }
            Waiter next;
            synchronized (this) {
                do {
                    next = waiting.poll();
                } while (next != null && next.response().closed());
                if (next == null) {
                    busy--;
                    return;
                }
            }
            Waiter chosen = next;
            chosen.context().runOnContext(v -> chosen.work().run());
        }

        /** Empties the queue (each waiter is answered by its {@code dropped}), so a new run starts from idle. */
        void dropQueue() {
            java.util.List<Waiter> dropped;
            synchronized (this) {
                dropped = new java.util.ArrayList<>(waiting);
                waiting.clear();
            }
            for (Waiter w : dropped) {
                w.context().runOnContext(v -> w.dropped().run());
            }
        }

        /** This request's service time: the base latency, slowed down, with +-jitter. */
        long serviceMillis() {
            double base = spec.latencyMs() * slowdown;
            if (spec.jitter() > 0) {
                base *= 1 + spec.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            }
            return Math.max(spec.latencyMs() > 0 ? 1 : 0, Math.round(base));
        }

        synchronized Map<String, Object> stats() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", spec.name());
            out.put("port", spec.port());
            out.put("latency_ms", spec.latencyMs());
            out.put("slots", spec.slots());
            out.put("slowdown", slowdown);
            out.put("failing", failing);
            out.put("requests", requests.get());
            out.put("slowed_requests", slowedRequests.get());
            out.put("failed_requests", failedRequests.get());
            out.put("streams", streams.get());
            out.put("queued_now", waiting.size());
            out.put("max_queue", maxQueue);
            return out;
        }

        synchronized void reset() {
            slowdown = 1;
            failing = false;
            requests.set(0);
            slowedRequests.set(0);
            failedRequests.set(0);
            streams.set(0);
            maxQueue = 0;
        }
    }

    public static void main(Args args) {
        List<Instance> instances = new ArrayList<>();
        for (String text : args.all("instance")) {
            instances.add(new Instance(Spec.parse(text)));
        }
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("give at least one --instance port=...");
        }
        int loops = args.intValue("event-loops", 1);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new Server(instances), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> {
                    StringBuilder ports = new StringBuilder();
                    instances.forEach(i -> ports.append(' ').append(i.spec.name()).append('=').append(i.spec.port()));
                    System.out.println("stub ready:" + ports);
                })
                .onFailure(error -> {
                    error.printStackTrace();
                    System.exit(1);
                });
    }

    /**
     * Starts one instance in an existing Vert.x (the vast.ai stand-in's rented GPUs, which come and go during a run);
     * undeploying the returned deployment id stops it and closes its port.
     */
    public static io.vertx.core.Future<String> deploy(Vertx vertx, String spec) {
        return vertx.deployVerticle(new Server(List.of(new Instance(Spec.parse(spec)))));
    }

    /** One event loop's servers, one per instance (Vert.x shares each port across the event loops). */
    static final class Server extends AbstractVerticle {
        private final List<Instance> instances;

        Server(List<Instance> instances) {
            this.instances = instances;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setAcceptBacklog(8192)
                    .setTcpNoDelay(true).setCompressionSupported(false);
            List<io.vertx.core.Future<?>> listening = new ArrayList<>();
            for (Instance instance : instances) {
                listening.add(vertx.createHttpServer(options).requestHandler(request -> handle(instance, request))
                        .listen(instance.spec.port()));
            }
            io.vertx.core.Future.all(listening).<Void>mapEmpty().onComplete(started);
        }

        private void handle(Instance instance, HttpServerRequest request) {
            String path = request.path();
            HttpServerResponse response = request.response();
            if (path.equals("/health")) {
                response.setStatusCode(instance.failing ? 500 : 200).end(instance.failing ? "failing" : "ok");
            } else if (path.equals("/_bench/control")) {
                control(instance, request);
            } else if (path.equals("/_bench/stats")) {
                response.putHeader("Content-Type", "application/json")
                        .end(io.vertx.core.json.Json.encode(instance.stats()));
            } else if (path.endsWith("/completions")) {
                request.body().onSuccess(body -> complete(instance, request, body));
            } else {
                response.setStatusCode(404).end("{\"error\":{\"message\":\"no route\"}}");
            }
        }

        private void control(Instance instance, HttpServerRequest request) {
            if (request.getParam("reset") != null) {
                instance.reset();
                instance.dropQueue();
            }
            String slowdown = request.getParam("slowdown");
            if (slowdown != null) {
                instance.slowdown = Double.parseDouble(slowdown);
            }
            String fail = request.getParam("fail");
            if (fail != null) {
                instance.failing = Boolean.parseBoolean(fail);
            }
            request.response().putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.json.Json.encode(instance.stats()));
        }

        private void complete(Instance instance, HttpServerRequest request, Buffer body) {
            HttpServerResponse response = request.response();
            instance.requests.incrementAndGet();
            if (instance.failing) {
                instance.failedRequests.incrementAndGet();
                response.setStatusCode(500).putHeader("Content-Type", "application/json").end(Buffer.buffer(FAILURE));
                return;
            }
            if (instance.slowdown != 1) {
                instance.slowedRequests.incrementAndGet();
            }
            String text = body.toString(StandardCharsets.UTF_8);
            if (isStream(text)) {
                instance.streams.incrementAndGet();
                int maxTokens = intField(text, "\"max_tokens\"");
                stream(instance, response, maxTokens > 0 ? maxTokens : instance.spec.chunks());
                return;
            }
            long millis = instance.serviceMillis();
            if (millis == 0 && instance.spec.slots() <= 0) {
                answer(response);
                return;
            }
            Context context = vertx.getOrCreateContext();
            instance.withSlot(context, response, () -> vertx.setTimer(Math.max(1, millis), id -> {
                instance.release();
                answer(response);
            }), () -> {
                if (!response.closed()) {
                    response.setStatusCode(503).end();
                }
            });
        }

        private static void answer(HttpServerResponse response) {
            if (response.closed()) {
                return;
            }
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(COMPLETION));
        }

        /** N content chunks, then the usage chunk and [DONE]; the first after first-ms, the rest every token-ms. */
        private void stream(Instance instance, HttpServerResponse response, int chunks) {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache");
            long tokenMs = Math.max(1, Math.round(instance.spec.tokenMs() * instance.slowdown));
            long firstMs = Math.round(instance.spec.firstMs() * instance.slowdown);
            long[] timer = {-1};
            int[] sent = {0};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                if (response.closed()) {
                    return;
                }
                response.write(Buffer.buffer(CHUNK));
                if (++sent[0] < chunks) {
                    timer[0] = vertx.setTimer(tokenMs, id -> tick[0].run());
                } else {
                    response.end("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":"
                            + "1700000000,\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,"
                            + "\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (8 + chunks) + "}}\n\n"
                            + "data: [DONE]\n\n");
                }
            };
            response.closeHandler(v -> {
                if (timer[0] >= 0) {
                    vertx.cancelTimer(timer[0]);
                }
            });
            if (firstMs <= 0) {
                tick[0].run();
            } else {
                timer[0] = vertx.setTimer(firstMs, id -> tick[0].run());
            }
        }

        static boolean isStream(String body) {
            int at = body.indexOf("\"stream\"");
            if (at < 0) {
                return false;
            }
            int i = body.indexOf(':', at) + 1;
            while (i > 0 && i < body.length() && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            return i > 0 && body.startsWith("true", i);
        }

        static int intField(String body, String name) {
            int at = body.indexOf(name);
            if (at < 0) {
                return -1;
            }
            int i = body.indexOf(':', at) + 1;
            while (i > 0 && i < body.length() && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            int value = 0;
            boolean any = false;
            while (i > 0 && i < body.length() && Character.isDigit(body.charAt(i))) {
                value = value * 10 + (body.charAt(i++) - '0');
                any = true;
            }
            return any ? value : -1;
        }
    }
}
