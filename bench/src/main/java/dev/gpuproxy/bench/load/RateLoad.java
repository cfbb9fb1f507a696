package dev.gpuproxy.bench.load;

import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load generator: requests leave at a fixed rate whatever the answers do, and each latency is measured
 * from the moment the request was due (so a stalled backend shows as the queueing its clients would see, not hidden
 * by a waiting load generator). Timed events ({@code --event 4:http://.../_bench/control?slowdown=5}) change the
 * upstreams mid-run; latency is reported overall and per segment between events, with errors by kind and the
 * upstreams' own counters at the end. Used for balancing quality and, with {@code --watch-pid}, for the memory soak
 * (live heap after a full GC and RSS every {@code --gc-every-s}).
 */
public final class RateLoad {

    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions options;
    private final Buffer plainBody;
    private final Buffer streamBody;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private final java.net.http.HttpClient control = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Segment> segments = new ArrayList<>();
    private final Recorder streamLatency = new Recorder(3);
    /** Latency by the second the request was due in (index = whole seconds since the start). */
    private Recorder[] timeline = new Recorder[0];
    private AtomicLong[] timelineErrors = new AtomicLong[0];
    private volatile long measureFromNanos;
    private volatile long originNanos;

    /** Latencies and errors of the requests due within [from, to) seconds of the run. */
    private static final class Segment {
        final double from;
        final double to;
        final String name;
        final Recorder latency = new Recorder(3);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong requests = new AtomicLong();

        Segment(double from, double to, String name) {
            this.from = from;
            this.to = to;
            this.name = name;
        }
    }

    private RateLoad(Args args, int maxOutstanding) {
        URI url = URI.create(args.value("url"));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(args.intValue("event-loops", 2)));
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout(10_000).setIdleTimeout(0).setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(maxOutstanding).setMaxWaitQueueSize(-1));
        this.options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
                .setURI(url.getRawPath()).putHeader("Content-Type", "application/json");
        String apiKey = args.value("api-key", "");
        if (!apiKey.isEmpty()) {
            options.putHeader("Authorization", "Bearer " + apiKey);
        }
        String model = args.value("model", "bench");
        this.plainBody = Buffer.buffer("{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Say hello for the benchmark.\"}]}");
        this.streamBody = Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":"
                + args.intValue("chunks", 10) + ",\"messages\":[{\"role\":\"user\",\"content\":\"Stream hello.\"}]}");
    }

    public static void main(Args args) throws Exception {
        int maxOutstanding = args.intValue("max-outstanding", 4000);
        RateLoad load = new RateLoad(args, maxOutstanding);
        Map<String, Object> result = load.run(args, maxOutstanding);
        Json.write(Path.of(args.value("out")), result);
        System.out.println(Json.MAPPER.writeValueAsString(result.get("latency")) + " errors="
                + result.get("errors"));
        System.exit(0);
    }

    private record Event(double at, String url) {}

    private Map<String, Object> run(Args args, int maxOutstanding) throws Exception {
        double rate = args.doubleValue("rate", 400);
        double duration = args.doubleValue("duration-s", 16);
        double warmup = args.doubleValue("warmup-s", 1);
        int streamEvery = args.intValue("stream-every", 0);
        List<Event> events = new ArrayList<>();
        for (String text : args.all("event")) {
            int colon = text.indexOf(':');
            events.add(new Event(Double.parseDouble(text.substring(0, colon)), text.substring(colon + 1)));
        }
        events.sort((a, b) -> Double.compare(a.at(), b.at()));
        double from = warmup;
        for (int i = 0; i <= events.size(); i++) {
            double to = i < events.size() ? events.get(i).at() : duration;
            segments.add(new Segment(from, to, i == 0 ? "before_events" : "after_event_" + i));
            from = to;
        }
        for (String url : args.all("reset")) {
            post(url);
        }
        Thread.sleep((long) (args.doubleValue("settle-s", 0) * 1000));

        ProcessProbe probe = args.value("watch-pid", "").isEmpty() ? null
                : new ProcessProbe(Long.parseLong(args.value("watch-pid")));
        double gcEvery = args.doubleValue("gc-every-s", 0);
        List<Map<String, Object>> memory = java.util.Collections.synchronizedList(new ArrayList<>());

        int seconds = (int) Math.ceil(duration) + 1;
        timeline = new Recorder[seconds];
        timelineErrors = new AtomicLong[seconds];
        for (int i = 0; i < seconds; i++) {
            timeline[i] = new Recorder(3);
            timelineErrors[i] = new AtomicLong();
        }
        Context[] contexts = {vertx.getOrCreateContext(), vertx.getOrCreateContext()};
        originNanos = System.nanoTime();
        measureFromNanos = originNanos + (long) (warmup * 1e9);
        long intervalNanos = (long) (1e9 / rate);
        long total = (long) (rate * duration);
        int nextEvent = 0;
        double nextGc = warmup;
        for (long k = 0; k < total; k++) {
            long due = originNanos + k * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 500_000));
            }
            double elapsed = (due - originNanos) / 1e9;
            while (nextEvent < events.size() && events.get(nextEvent).at() <= elapsed) {
                String url = events.get(nextEvent++).url();
                background(() -> post(url));
            }
            if (probe != null && gcEvery > 0 && elapsed >= nextGc) {
                double at = elapsed;
                background(() -> memory.add(sample(probe, at)));
                nextGc += gcEvery;
            }
            boolean stream = streamEvery > 0 && k % streamEvery == 0;
            if (outstanding.get() >= maxOutstanding) {
                dropped.incrementAndGet();
                error(due, "dropped: client outstanding limit");
                continue;
            }
            contexts[(int) (k & 1)].runOnContext(v -> send(due, stream));
        }
        double sendSeconds = (System.nanoTime() - originNanos) / 1e9;
        long drainDeadline = System.nanoTime() + (long) (args.doubleValue("drain-s", 15) * 1e9);
        while (outstanding.get() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        int unfinished = outstanding.get();
        if (probe != null && gcEvery > 0) {
            memory.add(sample(probe, (System.nanoTime() - originNanos) / 1e9));
        }

        Histogram all = new Histogram(3);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> segmentResults = new ArrayList<>();
        long errors = 0;
        long measured = 0;
        for (Segment segment : segments) {
            Histogram h = segment.latency.getIntervalHistogram();
            all.add(h);
            errors += segment.errors.get();
            measured += segment.requests.get();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", segment.name);
            s.put("from_s", segment.from);
            s.put("to_s", segment.to);
            s.put("requests", segment.requests.get());
            s.put("errors", segment.errors.get());
            s.put("latency", Json.latency(h));
            segmentResults.add(s);
        }
        out.put("label", args.value("label", "rate"));
        out.put("url", args.value("url"));
        out.put("rate_target", rate);
        out.put("duration_s", duration);
        out.put("warmup_s", warmup);
        out.put("sent", sent.get());
        out.put("achieved_send_rate", Math.round(sent.get() / sendSeconds));
        out.put("completed", completed.get());
        out.put("measured_requests", measured);
        out.put("errors", errors);
        out.put("error_rate", measured == 0 ? 0 : (double) errors / measured);
        out.put("unfinished_after_drain", unfinished);
        out.put("drain_s", args.doubleValue("drain-s", 15));
        out.put("dropped", dropped.get());
        // A copy: closing the client below fails what is still unanswered, which is reported as unfinished instead.
        out.put("error_kinds", new java.util.TreeMap<>(errorKinds));
        out.put("latency", Json.latency(all));
        if (streamEvery > 0) {
            out.put("stream_latency", Json.latency(streamLatency.getIntervalHistogram()));
        }
        out.put("segments", segmentResults);
        List<Map<String, Object>> perSecond = new ArrayList<>();
        for (int i = 0; i < timeline.length; i++) {
            Histogram h = timeline[i].getIntervalHistogram();
            if (h.getTotalCount() == 0 && timelineErrors[i].get() == 0) {
                continue;
            }
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t_s", i);
            point.put("ok", h.getTotalCount());
            point.put("errors", timelineErrors[i].get());
            point.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
            point.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
            point.put("max_ms", h.getMaxValue() / 1000.0);
            perSecond.add(point);
        }
        out.put("timeline", perSecond);
        List<Object> upstreams = new ArrayList<>();
        for (String url : args.all("stats")) {
            upstreams.add(Json.MAPPER.readTree(get(url)));
        }
        if (!upstreams.isEmpty()) {
            out.put("upstreams", upstreams);
        }
        if (!memory.isEmpty()) {
            memory.sort((a, b) -> Double.compare((Double) a.get("t_s"), (Double) b.get("t_s")));
            out.put("memory", memory);
        }
        client.close();
        vertx.close();
        return out;
    }

    private void send(long due, boolean stream) {
        outstanding.incrementAndGet();
        sent.incrementAndGet();
        client.request(options)
                .compose(request -> request.send(stream ? streamBody : plainBody))
                .compose(response -> response.body().map(b -> response.statusCode() == 200 ? "" : "HTTP "
                        + response.statusCode() + " " + errorMessage(b)))
                .onComplete(ar -> {
                    outstanding.decrementAndGet();
                    completed.incrementAndGet();
                    if (ar.failed()) {
                        error(due, ar.cause().getClass().getSimpleName());
                    } else if (!ar.result().isEmpty()) {
                        error(due, ar.result());
                    } else {
                        long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                        int second = (int) ((due - originNanos) / 1_000_000_000L);
                        if (second < timeline.length) {
                            timeline[second].recordValue(micros);
                        }
                        if (stream) {
                            if (due >= measureFromNanos) {
                                streamLatency.recordValue(micros);
                            }
                        } else {
                            Segment segment = segmentOf(due);
                            if (segment != null) {
                                segment.requests.incrementAndGet();
                                segment.latency.recordValue(micros);
                            }
                        }
                    }
                });
    }

    /** The {@code error.message} of an OpenAI-shaped error body (else its start), so errors group by cause. */
    private static String errorMessage(Buffer body) {
        String text = body.toString();
        int at = text.indexOf("\"message\":\"");
        if (at >= 0) {
            int end = text.indexOf('"', at + 11);
            text = end > at ? text.substring(at + 11, end) : text.substring(at + 11);
        }
        // Ids and numbers vary per request; group by the words.
        text = text.replaceAll("[0-9]+", "N");
        return text.length() > 100 ? text.substring(0, 100) : text;
    }

    private void error(long due, String kind) {
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        int second = (int) ((due - originNanos) / 1_000_000_000L);
        if (second < timelineErrors.length) {
            timelineErrors[second].incrementAndGet();
        }
        Segment segment = segmentOf(due);
        if (segment != null) {
            segment.requests.incrementAndGet();
            segment.errors.incrementAndGet();
        }
    }

    private Segment segmentOf(long due) {
        if (due < measureFromNanos) {
            return null;
        }
        double at = (due - originNanos) / 1e9;
        for (Segment segment : segments) {
            if (at < segment.to) {
                return segment;
            }
        }
        return segments.get(segments.size() - 1);
    }

    private static Map<String, Object> sample(ProcessProbe probe, double at) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("t_s", Math.round(at * 10) / 10.0);
        point.put("heap_after_gc", probe.heapAfterGc());
        point.put("rss_mib", Math.round(probe.rssMib() * 10) / 10.0);
        return point;
    }

    private void post(String url) {
        try {
            control.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            System.err.println("control call " + url + " failed: " + e);
        }
    }

    private String get(String url) throws Exception {
        return control.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A side task (control call, memory sample) on its own thread, so it never delays the pacer. */
    private static void background(Runnable task) {
        Thread thread = new Thread(task, "rate-side-task");
        thread.setDaemon(true);
        thread.start();
    }
}
