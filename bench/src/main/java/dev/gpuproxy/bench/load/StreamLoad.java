package dev.gpuproxy.bench.load;

import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Holds a number of concurrent SSE chat-completion streams open (against one URL, or several round robin) and
 * measures what a client sees: SSE events per second delivered, time to first event (from sending the request),
 * errors, and optionally the memory of the proxy process in between ({@code --watch-pid}). Each stream that ends is replaced at once by a new one on the
 * same keep-alive connection, so concurrency stays at the target; streams are ramped up at {@code --ramp-per-s}.
 * The measurement window ({@code --hold-s}) starts once every stream is open (plus {@code --settle-s}). Time to first
 * event counts for every stream started before the window ends (with streams longer than ramp and window together,
 * that is each stream once, opened at the ramp rate while the others are held).
 */
public final class StreamLoad {

    /** HTTP/1.1 connections per client: Vert.x picks a pooled connection by scanning the pool, so keep pools small. */
    private static final int CONNECTIONS_PER_CLIENT = 500;

    private final Vertx vertx;
    private final HttpClient[] clients;
    private final RequestOptions[] targets;
    private final Buffer body;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder windowEvents = new LongAdder();
    private final AtomicLong windowCompleted = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong firstEvents = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private final Recorder ttft = new Recorder(3);
    /** The parts of the time to first token: until a connection was there, and until the response head arrived. */
    private final Recorder untilConnection = new Recorder(3);
    private final Recorder untilHead = new Recorder(3);
    private volatile boolean windowOpen;
    private volatile boolean windowClosed;
    private volatile boolean stopping;

    private StreamLoad(Args args, int concurrency) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(args.intValue("event-loops", 2)));
        boolean h2 = args.flag("h2c");
        int perConnection = args.intValue("h2-streams-per-connection", 100);
        int clientCount = h2 ? 1 : Math.max(1, (concurrency + CONNECTIONS_PER_CLIENT - 1) / CONNECTIONS_PER_CLIENT);
        this.clients = new HttpClient[clientCount];
        for (int i = 0; i < clientCount; i++) {
            HttpClientOptions clientOptions = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                    .setConnectTimeout(10_000).setIdleTimeout(0).setDecompressionSupported(false);
            if (h2) {
                // HTTP/2 with prior knowledge (h2c): many streams share a connection, as the server allows.
                clientOptions.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setHttp2MultiplexingLimit(perConnection);
            }
            clients[i] = vertx.createHttpClient(clientOptions, new PoolOptions()
                    .setHttp1MaxSize(concurrency).setHttp2MaxSize(concurrency / perConnection + 16)
                    .setMaxWaitQueueSize(-1));
        }
        List<String> urls = args.all("url");
        this.targets = new RequestOptions[urls.size()];
        String apiKey = args.value("api-key", "");
        for (int i = 0; i < urls.size(); i++) {
            URI url = URI.create(urls.get(i));
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                    .setPort(url.getPort()).setURI(url.getRawPath()).putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "text/event-stream");
            if (!apiKey.isEmpty()) {
                options.putHeader("Authorization", "Bearer " + apiKey);
            }
            targets[i] = options;
        }
        // --prompt-chars: a prompt of that many characters instead of one sentence (real prompts are KBs long).
        int promptChars = args.intValue("prompt-chars", 0);
        String prompt = promptChars > 0 ? "x".repeat(promptChars) : "Stream a short answer for the benchmark.";
        this.body = Buffer.buffer("{\"model\":\"" + args.value("model", "bench") + "\",\"stream\":true,"
                + "\"max_tokens\":" + args.intValue("chunks", 20) + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + prompt + "\"}]}");
    }

    public static void main(Args args) throws Exception {
        int concurrency = args.intValue("concurrency", 1000);
        StreamLoad load = new StreamLoad(args, concurrency);
        Map<String, Object> result = load.run(args, concurrency);
        Json.write(Path.of(args.value("out")), result);
        System.out.println(Json.MAPPER.writeValueAsString(result));
        System.exit(0);
    }

    private Map<String, Object> run(Args args, int concurrency) throws Exception {
        int rampPerSecond = args.intValue("ramp-per-s", 2000);
        double holdSeconds = args.doubleValue("hold-s", 8);
        double settleSeconds = args.doubleValue("settle-s", 1);
        ProcessProbe probe = args.value("watch-pid", "").isEmpty() ? null
                : new ProcessProbe(Long.parseLong(args.value("watch-pid")));

        // Ramp: a tick every 10 ms starts its share of the streams.
        AtomicInteger opened = new AtomicInteger();
        int perTick = Math.max(1, rampPerSecond / 100);
        CountDownLatch ramped = new CountDownLatch(1);
        long rampStart = System.nanoTime();
        vertx.setPeriodic(10, id -> {
            for (int i = 0; i < perTick && opened.get() < concurrency; i++) {
                startStream(opened.getAndIncrement());
            }
            if (opened.get() >= concurrency) {
                vertx.cancelTimer(id);
                ramped.countDown();
            }
        });
        ramped.await();
        // Wait until every stream is actually open (or give up after a while and report what was reached).
        long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() < concurrency && System.nanoTime() < openDeadline) {
            Thread.sleep(20);
        }
        double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
        Thread.sleep((long) (settleSeconds * 1000));

        windowEvents.reset();
        windowCompleted.set(0);
        long errorsBefore = errors.get();
        int minInFlight = Integer.MAX_VALUE;
        int maxInFlight = 0;
        double rssMax = 0;
        windowOpen = true;
        long windowStart = System.nanoTime();
        long windowEnd = windowStart + (long) (holdSeconds * 1e9);
        while (System.nanoTime() < windowEnd) {
            int now = inFlight.get();
            minInFlight = Math.min(minInFlight, now);
            maxInFlight = Math.max(maxInFlight, now);
            if (probe != null) {
                rssMax = Math.max(rssMax, probe.rssMib());
            }
            Thread.sleep(100);
        }
        windowOpen = false;
        windowClosed = true;
        double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
        long events = windowEvents.sum();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", args.value("label", "streams"));
        out.put("urls", args.all("url"));
        out.put("protocol", args.flag("h2c") ? "h2c" : "http/1.1");
        out.put("concurrency_target", concurrency);
        out.put("ramp_s", round(rampSeconds));
        out.put("in_flight_min", minInFlight == Integer.MAX_VALUE ? 0 : minInFlight);
        out.put("in_flight_max", maxInFlight);
        out.put("window_s", round(windowSeconds));
        out.put("events", events);
        out.put("events_per_s", Math.round(events / windowSeconds));
        out.put("streams_completed", windowCompleted.get());
        out.put("errors_in_window", errors.get() - errorsBefore);
        if (probe != null) {
            // Memory with every stream still open: RSS, heap as it is, then the live heap after a full GC.
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("rss_max_mib", round(Math.max(rssMax, probe.rssMib())));
            memory.put("rss_peak_process_mib", round(probe.peakRssMib()));
            memory.put("heap", probe.heap());
            memory.put("heap_after_gc", probe.heapAfterGc());
            memory.put("rss_after_gc_mib", round(probe.rssMib()));
            out.put("proxy_memory", memory);
        }

        stopping = true;
        long drainDeadline = System.nanoTime() + (long) (args.doubleValue("drain-s", 8) * 1e9);
        while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        out.put("unfinished_at_stop", inFlight.get());
        out.put("ttft", Json.latency(ttft.getIntervalHistogram()));
        // Where the time to first token went: waiting for a connection (a new one per stream over HTTP/1.1), then
        // for the response head (for a proxy: its own work, its upstream connection and the upstream's answer).
        out.put("until_connection", Json.latency(untilConnection.getIntervalHistogram()));
        out.put("until_head", Json.latency(untilHead.getIntervalHistogram()));
        out.put("streams_started", started.get());
        out.put("streams_without_first_event", started.get() - firstEvents.get());
        out.put("errors_total", errors.get());
        out.put("error_kinds", errorKinds);
        for (HttpClient client : clients) {
            client.close();
        }
        vertx.close();
        return out;
    }

    /** One stream of slot {@code slot} (which keeps its client and target); a new one follows when it ends. */
    private void startStream(int slot) {
        if (stopping) {
            return;
        }
        inFlight.incrementAndGet();
        long t0 = System.nanoTime();
        boolean counted = !windowClosed;
        if (counted) {
            started.incrementAndGet();
        }
        HttpClient client = clients[slot % clients.length];
        RequestOptions options = targets[slot % targets.length];
        client.request(options).compose(request -> {
            if (counted) {
                untilConnection.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            }
            return request.send(body);
        }).onComplete(ar -> {
            if (ar.failed()) {
                failed(ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage());
                vertx.setTimer(100, id -> startStream(slot));
                return;
            }
            HttpClientResponse response = ar.result();
            if (counted) {
                untilHead.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            }
            if (response.statusCode() != 200) {
                response.body().onComplete(b -> {
                    String text = b.succeeded() ? b.result().toString() : "";
                    failed("HTTP " + response.statusCode() + (text.isEmpty() ? "" : " "
                            + text.replaceAll("[0-9]+", "N")));
                    vertx.setTimer(100, id -> startStream(slot));
                });
                return;
            }
            boolean[] first = {true};
            byte[] last = {0};
            response.handler(chunk -> {
                int n = countEvents(chunk, last);
                if (n > 0 && first[0]) {
                    first[0] = false;
                    if (counted) {
                        // Every stream started before the window closed counts, however late its first event comes.
                        ttft.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        firstEvents.incrementAndGet();
                    }
                }
                if (windowOpen) {
                    windowEvents.add(n);
                }
            });
            response.exceptionHandler(error -> {
                failed("stream: " + error.getClass().getSimpleName());
                vertx.setTimer(100, id -> startStream(slot));
            });
            response.endHandler(v -> {
                inFlight.decrementAndGet();
                if (windowOpen) {
                    windowCompleted.incrementAndGet();
                }
                startStream(slot);
            });
        });
    }

    private void failed(String kind) {
        inFlight.decrementAndGet();
        errors.incrementAndGet();
        String key = kind.length() > 120 ? kind.substring(0, 120) : kind;
        errorKinds.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    /** SSE events completed in this chunk: each ends with a blank line ("\n\n", possibly split across chunks). */
    static int countEvents(Buffer chunk, byte[] last) {
        int n = 0;
        byte previous = last[0];
        for (int i = 0, len = chunk.length(); i < len; i++) {
            byte b = chunk.getByte(i);
            if (b == '\n' && previous == '\n') {
                n++;
                b = 0;
            }
            previous = b;
        }
        last[0] = previous;
        return n;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
