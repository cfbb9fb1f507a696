package dev.gpuproxy.bench.autopilot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import dev.gpuproxy.bench.load.GatewaySetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The autopilot scenario (issue #20) against a running gpuproxyd whose vast.ai is {@link VastAiStandIn}:
 * <ol>
 *   <li>creates an autoscaled pool (cost_per_token, min 0) and a fixed pool of {@code --max} always-on upstreams;</li>
 *   <li>cold start: one request to the empty autoscaled pool, timed until its answer, split into the stand-in's boot
 *       delay and gpuproxyd's own part (deciding, renting, polling, probing, joining);</li>
 *   <li>steady load: the same open-loop rate on each pool; cost per 1k output tokens = GPU-hours x price / tokens,
 *       billed for the autoscaled pool from each rental to its destruction (the idle tail until release included),
 *       for the fixed pool for its GPUs over the load phase only (it stays up beyond, so this is its lowest cost);</li>
 *   <li>scale to zero: time from the last request until the stand-in has no live instance.</li>
 * </ol>
 * Writes one JSON ({@code --out}) for the report.
 */
public final class AutopilotScenario {

    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d+)");
    private static final String AUTO_POOL = "ap-auto";
    private static final String FIXED_POOL = "ap-fixed";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String chatUrl;
    private final String apiKey;
    private final String vastUrl;

    private AutopilotScenario(String base, String apiKey, String vastUrl) {
        this.chatUrl = base + "/v1/chat/completions";
        this.apiKey = apiKey;
        this.vastUrl = vastUrl;
    }

    /** What one load phase saw. */
    record Phase(long sent, long ok, long errors, long tokens, double p50Ms, double p99Ms, Map<String, Long> errorKinds) {

        ObjectNode json() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("sent", sent);
            o.put("ok", ok);
            o.put("errors", errors);
            o.put("output_tokens", tokens);
            o.put("p50_ms", p50Ms);
            o.put("p99_ms", p99Ms);
            o.set("error_kinds", Json.MAPPER.valueToTree(errorKinds));
            return o;
        }
    }

    public static void main(Args args) throws Exception {
        String base = args.value("base");
        GatewaySetup admin = GatewaySetup.at(base);
        String token = admin.login(args.value("email"), args.value("password"));
        AutopilotScenario scenario = new AutopilotScenario(base, Files.readString(Path.of(args.value("key-file"))).trim(),
                args.value("vast"));
        int max = args.intValue("max", 3);
        int rate = args.intValue("rate", 12);
        int seconds = args.intValue("duration-s", 20);
        String idleRelease = args.value("idle-release", "5s");
        List<String> fixedUrls = List.of(args.value("fixed-urls").split("\\|"));
        List<Double> fixedPrices = new ArrayList<>();
        for (String p : args.value("fixed-prices").split(",")) {
            fixedPrices.add(Double.parseDouble(p));
        }

        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("provider", "vastai");
        policy.put("min", 0);
        policy.put("max", max);
        policy.put("target_in_flight", args.intValue("target-in-flight", 2));
        policy.put("idle_release", idleRelease);
        policy.put("cold_start_timeout", "60s");
        policy.put("cooldown", args.value("cooldown", "1s"));
        policy.put("max_waiting", 500);
        policy.put("offer", Map.of("max_price", 1.0));
        policy.put("launch", Map.of("image", "vllm/vllm-openai:latest", "port", 8000));
        policy.put("readiness_path", "/health");
        admin.call("POST", "/api/v1/admin/pools", token, Map.of("name", AUTO_POOL, "strategy", "cost_per_token",
                "autoscale", policy));
        admin.call("POST", "/api/v1/admin/pools", token, Map.of("name", FIXED_POOL, "strategy", "cost_per_token"));
        for (String url : fixedUrls) {
            admin.call("POST", "/api/v1/admin/backends", token, Map.of("pool", FIXED_POOL, "kind", "openai", "url", url));
        }
        scenario.awaitRouted(List.of(AUTO_POOL, FIXED_POOL), Duration.ofSeconds(10));

        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode setup = out.putObject("setup");
        setup.put("max_gpus", max);
        setup.put("rate_per_s", rate);
        setup.put("load_s", seconds);
        setup.put("idle_release", idleRelease);
        setup.set("autoscale", Json.MAPPER.valueToTree(policy));
        setup.set("fixed_prices_per_hour", Json.MAPPER.valueToTree(fixedPrices));

        // 1. Cold start.
        System.out.println("cold start: one request to " + AUTO_POOL + " with no GPU");
        long coldStart = System.currentTimeMillis();
        HttpResponse<String> first = scenario.chat(AUTO_POOL).join();
        long coldEnd = System.currentTimeMillis();
        if (first.statusCode() != 200) {
            throw new IllegalStateException("the cold-start request answered " + first.statusCode() + ": " + first.body());
        }
        JsonNode rentals = scenario.rentals();
        JsonNode firstRental = rentals.path("rentals").path(0);
        long coldMs = coldEnd - coldStart;
        long bootMs = rentals.path("boot_ms").asLong();
        ObjectNode cold = out.putObject("cold_start");
        cold.put("total_ms", coldMs);
        cold.put("boot_delay_ms", bootMs);
        cold.put("gpuproxyd_overhead_ms", coldMs - bootMs);
        cold.put("request_to_rental_ms", firstRental.path("rented_at_ms").asLong() - coldStart);
        cold.put("rental_to_ready_ms", firstRental.path("ready_at_ms").asLong() - firstRental.path("rented_at_ms").asLong());
        cold.put("ready_to_answer_ms", coldEnd - firstRental.path("ready_at_ms").asLong());
        System.out.println("   " + cold);

        // 2. Steady load on the autoscaled pool, then scale to zero.
        System.out.println("steady load: " + rate + " requests/s for " + seconds + " s on " + AUTO_POOL);
        Phase auto = scenario.load(AUTO_POOL, rate, seconds);
        long lastRequest = System.currentTimeMillis();
        int peak = scenario.peakConcurrentRentals();
        System.out.println("   " + auto + ", peak " + peak + " GPUs; waiting for the pool to return to zero");
        long deadline = lastRequest + 120_000;
        JsonNode after;
        while (true) {
            after = scenario.rentals();
            boolean anyLive = false;
            for (JsonNode r : after.path("rentals")) {
                anyLive |= r.path("destroyed_at_ms").asLong() == 0;
            }
            if (!anyLive) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the autoscaled pool still had GPUs 120 s after the load: " + after);
            }
            Thread.sleep(250);
        }
        long lastDestroyed = 0;
        double autoGpuHours = 0;
        double autoCost = 0;
        for (JsonNode r : after.path("rentals")) {
            long end = r.path("destroyed_at_ms").asLong();
            lastDestroyed = Math.max(lastDestroyed, end);
            double hours = (end - r.path("rented_at_ms").asLong()) / 3_600_000.0;
            autoGpuHours += hours;
            autoCost += hours * r.path("price_per_hour").asDouble();
        }
        long autoTokens = auto.tokens() + tokens(first.body());
        ObjectNode zero = out.putObject("scale_to_zero");
        zero.put("last_request_to_zero_ms", lastDestroyed - lastRequest);
        zero.put("idle_release", idleRelease);
        ObjectNode autoJson = auto.json();
        autoJson.put("rentals", after.path("rentals").size());
        autoJson.put("peak_gpus", peak);
        autoJson.put("gpu_hours", autoGpuHours);
        autoJson.put("cost_usd", autoCost);
        autoJson.put("billed_tokens", autoTokens);
        autoJson.put("usd_per_1k_tokens", autoTokens == 0 ? 0 : autoCost / autoTokens * 1000);
        autoJson.set("rental_log", after.path("rentals"));
        out.set("autoscaled", autoJson);
        System.out.println("   back to zero " + (lastDestroyed - lastRequest) + " ms after the last request");

        // 3. The same load on the fixed pool, billed for its GPUs over the load phase.
        System.out.println("steady load: " + rate + " requests/s for " + seconds + " s on " + FIXED_POOL);
        long fixedStart = System.currentTimeMillis();
        Phase fixed = scenario.load(FIXED_POOL, rate, seconds);
        double fixedHours = (System.currentTimeMillis() - fixedStart) / 3_600_000.0;
        double fixedCost = 0;
        for (double price : fixedPrices) {
            fixedCost += fixedHours * price;
        }
        ObjectNode fixedJson = fixed.json();
        fixedJson.put("gpus", fixedUrls.size());
        fixedJson.put("gpu_hours", fixedHours * fixedUrls.size());
        fixedJson.put("cost_usd", fixedCost);
        fixedJson.put("billed_tokens", fixed.tokens());
        fixedJson.put("usd_per_1k_tokens", fixed.tokens() == 0 ? 0 : fixedCost / fixed.tokens() * 1000);
        out.set("fixed", fixedJson);
        System.out.println("   " + fixed);

        Json.write(Path.of(args.value("out")), out);
        System.out.println("autopilot: cold start " + coldMs + " ms (" + bootMs + " ms boot), $/1k tokens "
                + String.format(java.util.Locale.ROOT, "%.6f autoscaled vs %.6f fixed", autoJson.path("usd_per_1k_tokens")
                .asDouble(), fixedJson.path("usd_per_1k_tokens").asDouble()) + ", errors " + auto.errors() + " + "
                + fixed.errors());
    }

    /** Open loop: one request every 1/rate s for {@code seconds}, whatever the answers take; then waits for all. */
    private Phase load(String pool, int rate, int seconds) {
        Histogram latencies = new Histogram(3_600_000_000L, 3);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        Map<String, Long> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
        long[] counts = new long[3]; // ok, errors, tokens
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long sentAt = System.nanoTime();
            pending.add(chat(pool).handle((response, error) -> {
                long micros = (System.nanoTime() - sentAt) / 1000;
                synchronized (counts) {
                    latencies.recordValue(Math.max(1, micros));
                    if (error == null && response.statusCode() == 200) {
                        counts[0]++;
                        counts[2] += tokens(response.body());
                    } else {
                        counts[1]++;
                        errorKinds.merge(error != null ? error.getClass().getSimpleName()
                                : String.valueOf(response.statusCode()), 1L, Long::sum);
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        synchronized (counts) {
            return new Phase(total, counts[0], counts[1], counts[2], latencies.getValueAtPercentile(50) / 1000.0,
                    latencies.getValueAtPercentile(99) / 1000.0, Map.copyOf(errorKinds));
        }
    }

    private CompletableFuture<HttpResponse<String>> chat(String pool) {
        String body = "{\"model\":\"" + pool + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(chatUrl)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long tokens(String body) {
        Matcher m = COMPLETION_TOKENS.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private JsonNode rentals() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(vastUrl + "/_bench/rentals"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    /** Most GPUs rented at the same moment so far (from the stand-in's rental log). */
    private int peakConcurrentRentals() throws Exception {
        List<long[]> events = new ArrayList<>();
        JsonNode now = rentals();
        for (JsonNode r : now.path("rentals")) {
            long end = r.path("destroyed_at_ms").asLong();
            events.add(new long[] {r.path("rented_at_ms").asLong(), 1});
            events.add(new long[] {end == 0 ? Long.MAX_VALUE : end, -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int live = 0;
        int peak = 0;
        for (long[] e : events) {
            live += (int) e[1];
            peak = Math.max(peak, live);
        }
        return peak;
    }

    /** /v1/models lists what the gateway routes for this key; both pools must be there before the scenario starts. */
    private void awaitRouted(List<String> pools, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String base = chatUrl.substring(0, chatUrl.length() - "/chat/completions".length());
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/models"))
                    .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> ids = new ArrayList<>();
            Json.MAPPER.readTree(response.body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
            if (ids.containsAll(pools)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                // An autoscaled pool without GPUs may not be listed; it is routed all the same (the request waits).
                System.out.println("   /v1/models lists " + ids + " after " + timeout + "; going on");
                return;
            }
            Thread.sleep(250);
        }
    }
}
