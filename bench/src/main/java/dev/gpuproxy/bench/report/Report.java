package dev.gpuproxy.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Turns one run's raw measurements ({@code bench/target/run}) into {@code bench/results/<date>-<name>.json} and the
 * generated sections of BENCHMARKS.md (between {@code <!-- generated:NAME:begin/end -->} markers; the prose around
 * them is kept). Every figure is set against its reference from the same run and the targets of issue 11 are judged
 * here, with the margin by which each was met or missed.
 *
 * <p>{@code report --run bench/target/run --results bench/results --name bench --markdown BENCHMARKS.md}
 */
public final class Report {

    /** {@code vertx}: a bare Vert.x proxy (bench's {@code BareVertxProxy}), the floor of gpuproxyd's stack. */
    private static final String[] PASS_TARGETS = {"direct", "haproxy", "nginx", "vertx", "gpuproxyd"};
    private static final String[] STRATEGIES = {"round_robin", "equal_weighted", "weighted_round_robin",
            "least_connections", "least_response_time"};

    private final Path run;
    private final ObjectNode results = Json.MAPPER.createObjectNode();
    private final Map<String, String> sections = new LinkedHashMap<>();
    private final List<String[]> targets = new ArrayList<>();

    private Report(Path run) {
        this.run = run;
    }

    public static void main(Args args) throws Exception {
        Report report = new Report(Path.of(args.value("run")));
        String name = args.value("name", "bench");
        report.machine();
        report.passThrough();
        report.streams();
        report.balancing();
        report.selection();
        report.soak(name.equals("soak") ? "soak-full" : "soak");
        report.jfr();
        report.autopilot();
        report.targets();
        // Named after the run's own date (machine.properties), so a report written again names the same run.
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String date = report.results.path("machine").path("date").asText("");
        if (date.length() >= 19) {
            stamp = date.substring(0, 10).replace("-", "") + "-" + date.substring(11, 19).replace(":", "");
        }
        Path resultsDir = Path.of(args.value("results"));
        Files.createDirectories(resultsDir);
        Path out = resultsDir.resolve(stamp + "-" + name + ".json");
        report.results.put("name", name);
        Json.write(out, report.results);
        Path markdown = Path.of(args.value("markdown"));
        report.sections.put("results-file", "Raw numbers of this run: [`bench/results/" + out.getFileName() + "`](bench/results/"
                + out.getFileName() + ").\n");
        if (report.sections.containsKey("autopilot")) {
            // Its section may come from a subset run (--only autopilot), whose raw numbers are not the file above.
            report.sections.put("autopilot", report.sections.get("autopilot") + " "
                    + report.sections.get("results-file"));
        }
        if (name.equals("soak")) {
            // A soak run only rewrites its own section, and says there when and where it ran.
            JsonNode m = report.results.path("machine");
            String soak = report.sections.getOrDefault("soak-full", "(the soak produced no data)\n");
            report.sections.put("soak-full", soak + "\nRun: " + m.path("date").asText() + ", `" + m.path("command")
                    .asText() + "`, load average " + m.path("load_before").asText() + " before, "
                    + m.path("load_after").asText() + " after. " + report.sections.get("results-file"));
            report.sections.keySet().retainAll(List.of("soak-full"));
        }
        report.writeMarkdown(markdown);
        System.out.println("wrote " + out + " and " + markdown);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void machine() throws IOException {
        Path file = run.resolve("machine.properties");
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        ObjectNode machine = results.putObject("machine");
        List<String> keys = new ArrayList<>(p.stringPropertyNames());
        keys.sort(String::compareTo);
        StringBuilder md = new StringBuilder("| | |\n|---|---|\n");
        for (String key : List.of("date", "command", "git_commit", "cpu", "nproc", "memory", "java", "kernel",
                "tools", "load_before", "load_after", "wall_time_s", "notes")) {
            String value = p.getProperty(key);
            if (value != null) {
                machine.put(key, value);
                md.append("| ").append(key.replace('_', ' ')).append(" | ").append(cell(value)).append(" |\n");
            }
        }
        for (String key : keys) {
            if (!machine.has(key)) {
                machine.put(key, p.getProperty(key));
            }
        }
        sections.put("run", md.toString());
    }

    private void passThrough() throws IOException {
        Path dir = run.resolve("pass");
        if (!Files.isDirectory(dir)) {
            return;
        }
        ArrayNode rows = results.putArray("pass_through");
        StringBuilder md = new StringBuilder("| concurrency | target | requests/s | vs HAProxy | p50 ms | p99 ms "
                + "| p99 added over direct | proxy CPU per request | of it in the kernel | upstream CPU per request | errors |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int concurrency : new int[] {32, 256}) {
            Map<String, JsonNode> byTarget = new LinkedHashMap<>();
            for (String target : PASS_TARGETS) {
                Path file = dir.resolve(target + "-c" + concurrency + ".json");
                if (Files.exists(file)) {
                    byTarget.put(target, Json.MAPPER.readTree(file.toFile()));
                }
            }
            if (byTarget.isEmpty()) {
                continue;
            }
            double haproxyRps = rps(byTarget.get("haproxy"));
            double directP99 = micros(byTarget.get("direct"), "p99") / 1000.0;
            for (Map.Entry<String, JsonNode> e : byTarget.entrySet()) {
                JsonNode w = e.getValue();
                double rps = rps(w);
                double p50 = micros(w, "p50") / 1000.0;
                double p99 = micros(w, "p99") / 1000.0;
                JsonNode errors = w.path("errors");
                long errorCount = errors.path("status").asLong() + errors.path("connect").asLong()
                        + errors.path("read").asLong() + errors.path("write").asLong() + errors.path("timeout").asLong();
                ObjectNode row = rows.addObject();
                row.put("concurrency", concurrency);
                row.put("target", e.getKey());
                row.put("requests_per_s", Math.round(rps));
                row.put("ratio_vs_haproxy", haproxyRps > 0 ? round2(rps / haproxyRps) : null);
                row.put("p50_ms", round3(p50));
                row.put("p99_ms", round3(p99));
                row.put("p99_added_over_direct_ms", round3(p99 - directP99));
                row.put("errors", errorCount);
                Properties cpu = properties(dir.resolve(e.getKey() + "-c" + concurrency + ".properties"));
                double requests = w.path("requests").asDouble();
                double proxyUs = requests == 0 ? 0 : Double.parseDouble(cpu.getProperty("proxy_cpu_s", "0")) * 1e6
                        / requests;
                double upstreamUs = requests == 0 ? 0
                        : Double.parseDouble(cpu.getProperty("upstream_cpu_s", "0")) * 1e6 / requests;
                // The part of the proxy's CPU spent in the kernel (stime): the socket reads and writes and the TCP
                // stack behind them, which on loopback also delivers to the receiving socket and wakes its reader.
                // Runs before this column was added have no such property.
                String kernelCpu = cpu.getProperty("proxy_kernel_cpu_s");
                Double kernelUs = kernelCpu == null || requests == 0 ? null : Double.parseDouble(kernelCpu) * 1e6 / requests;
                row.put("proxy_cpu_us_per_request", Math.round(proxyUs * 10) / 10.0);
                row.put("proxy_kernel_cpu_us_per_request", kernelUs == null ? null : Math.round(kernelUs * 10) / 10.0);
                row.put("upstream_cpu_us_per_request", Math.round(upstreamUs * 10) / 10.0);
                row.set("raw", w);
                md.append("| ").append(concurrency).append(" | ").append(e.getKey()).append(" | ")
                        .append(String.format(Locale.ROOT, "%,d", Math.round(rps))).append(" | ")
                        .append(haproxyRps > 0 ? fmt2(rps / haproxyRps) + "x" : "-").append(" | ")
                        .append(fmt2(p50)).append(" | ").append(fmt2(p99)).append(" | ")
                        .append(e.getKey().equals("direct") ? "-" : signed(p99 - directP99) + " ms").append(" | ")
                        .append(e.getKey().equals("direct") ? "-" : fmtInt(proxyUs) + " µs").append(" | ")
                        .append(e.getKey().equals("direct") || kernelUs == null ? "-"
                                : fmtInt(kernelUs) + " µs (" + pct(proxyUs > 0 ? kernelUs / proxyUs : 0) + ")").append(" | ")
                        .append(fmtInt(upstreamUs)).append(" µs | ")
                        .append(errorCount).append(" |\n");
            }
            JsonNode gpx = byTarget.get("gpuproxyd");
            if (gpx != null && haproxyRps > 0) {
                double ratio = rps(gpx) / haproxyRps;
                // Issue 16's goals: 0.8x HAProxy's rate and 40 µs of gpuproxyd CPU per request.
                targets.add(new String[] {"pass-through requests/s, c=" + concurrency, ">= 0.80x HAProxy",
                        fmt2(ratio) + "x (" + fmtInt(rps(gpx)) + " vs " + fmtInt(haproxyRps) + " req/s)",
                        verdict(ratio >= 0.8, ratio >= 0.8 ? "by " + fmt2(ratio - 0.8) + "x"
                                : "short by " + pct((0.8 - ratio) / 0.8) + " of the goal")});
                JsonNode gpxRow = passRow(rows, concurrency, "gpuproxyd");
                if (gpxRow != null) {
                    double cpuUs = gpxRow.path("proxy_cpu_us_per_request").asDouble();
                    // Next to it, what the same run measured for HAProxy and for the floor of gpuproxyd's stack.
                    StringBuilder measured = new StringBuilder(cpuPerRequest(gpxRow));
                    JsonNode haproxyRow = passRow(rows, concurrency, "haproxy");
                    JsonNode vertxRow = passRow(rows, concurrency, "vertx");
                    if (haproxyRow != null) {
                        measured.append("; HAProxy ").append(cpuPerRequest(haproxyRow));
                        if (vertxRow != null) {
                            measured.append("; a bare Vert.x proxy ").append(cpuPerRequest(vertxRow));
                        }
                    }
                    targets.add(new String[] {"gpuproxyd CPU per request, c=" + concurrency, "<= 40 µs",
                            measured.toString(), verdict(cpuUs <= 40, cpuUs <= 40 ? "by " + fmtInt(40 - cpuUs) + " µs"
                            : "over by " + fmtInt(cpuUs - 40) + " µs")});
                }
            }
            if (gpx != null && byTarget.containsKey("direct") && concurrency == 32) {
                double added = micros(gpx, "p99") / 1000.0 - directP99;
                double haproxyP99 = micros(byTarget.get("haproxy"), "p99") / 1000.0;
                if (byTarget.containsKey("haproxy") && directP99 > haproxyP99) {
                    // A proxy in front of the upstream cannot answer faster than the upstream itself: the direct run's
                    // tail was disturbed (the machine is shared), so there is nothing to judge against.
                    targets.add(new String[] {"pass-through p99 added over direct, c=32 (moderate load)", "<= 1 ms",
                            signed(added) + " ms (direct's p99 " + fmt2(directP99) + " ms is above HAProxy's "
                            + fmt2(haproxyP99) + " ms: disturbed)", "not judged in this run"});
                } else {
                    targets.add(new String[] {"pass-through p99 added over direct, c=32 (moderate load)", "<= 1 ms",
                            signed(added) + " ms", verdict(added <= 1.0, added <= 1.0 ? "by " + fmt2(1.0 - added) + " ms"
                            : "over by " + fmt2(added - 1.0) + " ms")});
                }
            }
        }
        Properties meta = properties(dir.resolve("meta.properties"));
        if (meta.getProperty("warmup_s") != null) {
            md.append("\ngpuproxyd was under load for ").append(meta.getProperty("warmup_s"))
                    .append(" s before the first measurement (JIT warm-up until its compilers were nearly idle).\n");
        }
        String startedMs = meta.getProperty("started_ms_before_load");
        timeToPeak(meta.getProperty("warmup_rounds"), meta.getProperty("warmup_seconds"),
                meta.getProperty("warmup_seconds_ended_ms"), startedMs != null
                        ? String.valueOf(Double.parseDouble(startedMs) / 1000) : meta.getProperty("started_s_before_load"),
                md);
        sections.put("pass", md.toString());
    }

    /** The pass-through row of {@code target} at {@code concurrency}, or null. */
    private static JsonNode passRow(ArrayNode rows, int concurrency, String target) {
        for (JsonNode row : rows) {
            if (row.path("concurrency").asInt() == concurrency && row.path("target").asText().equals(target)) {
                return row;
            }
        }
        return null;
    }

    private void streams() throws IOException {
        Path dir = run.resolve("streams");
        if (!Files.isDirectory(dir)) {
            return;
        }
        Properties meta = properties(dir.resolve("meta.properties"));
        ObjectNode node = results.putObject("streaming");
        meta.forEach((k, v) -> node.put("meta_" + k, String.valueOf(v)));
        ArrayNode rows = node.putArray("runs");
        StringBuilder md = new StringBuilder("| streams | client protocol | through | streams held (min-max) "
                + "| SSE events/s | vs direct | TTFT p50 ms | TTFT p99 ms | TTFT p99 added | until connected p50 / p99 ms "
                + "| errors | gpuproxyd RSS max | gpuproxyd heap used / after full GC "
                + "| machine CPU busy (gpuproxyd's share, cores) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        // Labels are "<streams>-<protocol>", e.g. 1000-http1, 10000-h2c.
        List<String> labels = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("direct-") && f.endsWith(".json"))
                    .map(f -> f.substring("direct-".length(), f.length() - 5))
                    .sorted((a, b) -> Integer.compare(count(a), count(b)) != 0 ? Integer.compare(count(a), count(b))
                            : a.compareTo(b))
                    .forEach(labels::add);
        }
        JsonNode largestGpx = null;
        JsonNode largestDirect = null;
        JsonNode smallestGpx = null;
        JsonNode smallestDirect = null;
        for (String label : labels) {
            JsonNode direct = read(dir.resolve("direct-" + label + ".json"));
            JsonNode gpx = read(dir.resolve("gpuproxyd-" + label + ".json"));
            if (gpx != null && direct != null) {
                if (largestGpx == null || count(label) >= largestGpx.path("concurrency_target").asInt()) {
                    largestGpx = gpx;
                    largestDirect = direct;
                }
                if (smallestGpx == null) {
                    smallestGpx = gpx;
                    smallestDirect = direct;
                }
            }
            for (JsonNode r : new JsonNode[] {direct, gpx}) {
                if (r == null) {
                    continue;
                }
                boolean isGpx = r == gpx;
                ObjectNode row = rows.addObject();
                row.put("label", label);
                row.put("target", isGpx ? "gpuproxyd" : "direct");
                row.setAll((ObjectNode) r);
                double eps = r.path("events_per_s").asDouble();
                double ttft50 = r.path("ttft").path("p50_ms").asDouble();
                double ttft99 = r.path("ttft").path("p99_ms").asDouble();
                double added = isGpx && direct != null ? ttft99 - direct.path("ttft").path("p99_ms").asDouble() : 0;
                JsonNode mem = r.path("proxy_memory");
                Properties cpu = properties(dir.resolve((isGpx ? "gpuproxyd-" : "direct-") + label + ".properties"));
                String busy = "-";
                if (cpu.getProperty("machine_busy") != null) {
                    double machine = Double.parseDouble(cpu.getProperty("machine_busy"));
                    double gpxCores = Double.parseDouble(cpu.getProperty("gpuproxyd_cores", "0"));
                    row.put("machine_cpu_busy", round3(machine));
                    row.put("gpuproxyd_cores", round3(gpxCores));
                    busy = pct(machine) + " of " + cpu.getProperty("cores", "?") + " cores"
                            + (isGpx ? " (gpuproxyd " + fmt2(gpxCores) + ")" : "");
                }
                md.append("| ").append(fmtInt(r.path("concurrency_target").asDouble())).append(" | ")
                        .append(r.path("protocol").asText()).append(" | ")
                        .append(isGpx ? "gpuproxyd" : "direct").append(" | ")
                        .append(fmtInt(r.path("in_flight_min").asDouble())).append("-")
                        .append(fmtInt(r.path("in_flight_max").asDouble())).append(" | ")
                        .append(fmtInt(eps)).append(" | ")
                        .append(isGpx && direct != null ? fmt2(eps / direct.path("events_per_s").asDouble()) + "x" : "-")
                        .append(" | ").append(fmt2(ttft50)).append(" | ").append(fmt2(ttft99)).append(" | ")
                        .append(isGpx && direct != null ? signed(added) + " ms" : "-").append(" | ")
                        .append(untilConnected(r)).append(" | ")
                        .append(r.path("errors_total").asLong()).append(" | ")
                        .append(mem.isMissingNode() ? "-" : fmtInt(mem.path("rss_max_mib").asDouble()) + " MiB")
                        .append(" | ")
                        .append(mem.isMissingNode() ? "-" : fmtInt(mem.path("heap").path("used_mib").asDouble())
                                + " / " + fmtInt(mem.path("heap_after_gc").path("used_mib").asDouble()) + " MiB")
                        .append(" | ").append(busy).append(" |\n");
            }
        }
        if (largestGpx != null) {
            int held = largestGpx.path("in_flight_min").asInt();
            double rss = largestGpx.path("proxy_memory").path("rss_max_mib").asDouble();
            boolean met = held >= 10_000 && rss < 1024;
            String how = largestGpx.path("protocol").asText();
            String detail = held >= 10_000 ? (rss < 1024 ? "by " + fmtInt(1024 - rss) + " MiB" : "RSS over by "
                    + fmtInt(rss - 1024) + " MiB") : "held " + fmtInt(held) + " of 10,000 streams ("
                    + pct((10_000 - held) / 10_000.0) + " short); RSS " + (rss < 1024 ? "within" : "over") + " 1 GiB";
            targets.add(new String[] {"10,000 concurrent streams in under 1 GiB RSS",
                    "10,000 streams, RSS < 1024 MiB", fmtInt(held) + " streams held (client " + how + "), RSS max "
                    + fmtInt(rss) + " MiB", verdict(met, detail)});
            ttftTarget(largestGpx, largestDirect);
            if (smallestGpx != largestGpx) {
                ttftTarget(smallestGpx, smallestDirect);
            }
        }
        md.append("\nThis run: ").append(meta.getProperty("upstreams", "")).append("; streams: ")
                .append(meta.getProperty("stream_shape", "")).append(".\n");
        if (meta.getProperty("note") != null) {
            md.append("\n").append(meta.getProperty("note")).append("\n");
        }
        sections.put("streams", md.toString());
    }

    /**
     * Time to 90% of the peak rate after start (issue 16: within 20 s): the warm-up's 5 s rounds at c=64, from a
     * freshly started gpuproxyd, counted from the moment it answered its first request (plus the set-up before load).
     * The peak is the best 5 s round; the time is the end of the first wall-clock second whose answers reached 90% of
     * it (counted by bench/lua/post-per-second.lua), or of the first such round when a run has no per-second counts.
     */
    private void timeToPeak(String rounds, String perSecond, String secondsEndedMs, String startedBefore,
                            StringBuilder md) {
        if (rounds == null || rounds.isBlank()) {
            return;
        }
        double[] roundRates = numbers(rounds);
        double peak = 0;
        for (double rate : roundRates) {
            peak = Math.max(peak, rate);
        }
        double before = startedBefore == null ? 0 : Double.parseDouble(startedBefore);
        double seconds;
        double[] secondRates = perSecond == null || perSecond.isBlank() ? new double[0] : numbers(perSecond);
        double[] endedMs = secondsEndedMs == null || secondsEndedMs.isBlank() ? new double[0] : numbers(secondsEndedMs);
        int second = firstAtLeast(secondRates, 0.9 * peak);
        String shown;
        if (second >= 0 && second < endedMs.length) {
            seconds = before + endedMs[second] / 1000;
            shown = fmt1(seconds) + " s (answers counted per second)";
            md.append("Warm-up at c=64 from start, answers per wall-clock second: ").append(joined(secondRates))
                    .append(" (5 s rounds, requests/s: ").append(joined(roundRates)).append("); 90% of the best round (")
                    .append(fmtInt(peak)).append(" req/s) first reached in the second that ended ")
                    .append(fmt1(endedMs[second] / 1000)).append(" s after the load started, ")
                    .append(fmt1(seconds)).append(" s after gpuproxyd was ready.\n");
        } else {
            int round = firstAtLeast(roundRates, 0.9 * peak);
            seconds = before + (round + 1) * 5.0;
            shown = fmtInt(seconds) + " s (5 s rounds)";
            md.append("Warm-up rounds (requests/s per 5 s at c=64, from start): ").append(joined(roundRates))
                    .append("; 90% of the peak (").append(fmtInt(peak)).append(" req/s) by the end of round ")
                    .append(round + 1).append(", about ").append(fmtInt(seconds))
                    .append(" s after gpuproxyd was ready.\n");
        }
        targets.add(new String[] {"time to 90% of peak requests/s after start", "<= 20 s", "about " + shown,
                verdict(seconds <= 20, seconds <= 20 ? "by " + fmt1(20 - seconds) + " s"
                        : "over by " + fmt1(seconds - 20) + " s")});
    }

    private static double[] numbers(String spaced) {
        String[] parts = spaced.trim().split("\\s+");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }

    private static int firstAtLeast(double[] values, double threshold) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= threshold) {
                return i;
            }
        }
        return -1;
    }

    private static String joined(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.length() == 0 ? "" : ", ").append(fmtInt(value));
        }
        return out.toString();
    }

    /**
     * The part of the time to first token the client spent waiting for its connection ("-" for a results file from
     * before the load generator measured it): over HTTP/1.1 every stream opens one, so a busy machine shows here first.
     */
    private static String untilConnected(JsonNode run) {
        JsonNode wait = run.path("until_connection");
        return wait.isMissingNode() ? "-" : fmt2(wait.path("p50_ms").asDouble()) + " / "
                + fmt2(wait.path("p99_ms").asDouble());
    }

    private void ttftTarget(JsonNode gpx, JsonNode direct) {
        double added = gpx.path("ttft").path("p99_ms").asDouble() - direct.path("ttft").path("p99_ms").asDouble();
        // Issue 16's goals: 2 ms at 1,000 streams, 50 ms at 10,000.
        double goal = gpx.path("concurrency_target").asDouble() >= 10_000 ? 50 : 2;
        targets.add(new String[] {"TTFT p99 added over direct at " + fmtInt(gpx.path("concurrency_target").asDouble())
                + " streams (" + gpx.path("protocol").asText() + ")", "<= " + fmtInt(goal) + " ms", signed(added) + " ms",
                verdict(added <= goal, added <= goal ? "by " + fmt2(goal - added) + " ms"
                        : "over by " + fmt2(added - goal) + " ms")});
    }

    private static int count(String label) {
        int dash = label.indexOf('-');
        try {
            return Integer.parseInt(dash < 0 ? label : label.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void balancing() throws IOException {
        Path dir = run.resolve("balance");
        if (!Files.isDirectory(dir)) {
            return;
        }
        Properties meta = properties(dir.resolve("meta.properties"));
        ObjectNode node = results.putObject("balancing");
        meta.forEach((k, v) -> node.put("meta_" + k, String.valueOf(v)));
        ArrayNode rows = node.putArray("runs");
        StringBuilder md = new StringBuilder("| balancer | p50 ms | p99 ms | p99.9 ms | max ms | error rate "
                + "| client-visible errors | unanswered DRAIN s after the load stopped | requests the failing upstream "
                + "answered with 500 | share of traffic on the slowed upstream while slow | p99 after the failure ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder lbTable = new StringBuilder("| balancer | p50 ms | p99 ms | error rate | share to the slowed "
                + "upstream |\n|---|---|---|---|---|\n");
        List<String> names = new ArrayList<>();
        for (String s : STRATEGIES) {
            names.add("gpuproxyd-" + s);
        }
        names.add("haproxy-roundrobin");
        names.add("haproxy-leastconn");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (String name : names) {
            JsonNode r = read(dir.resolve(name + ".json"));
            if (r == null) {
                continue;
            }
            byName.put(name, r);
            ObjectNode row = rows.addObject();
            row.put("balancer", name);
            row.setAll((ObjectNode) r);
            double slowShare = slowShare(r, meta);
            row.put("slowed_upstream_share", slowShare);
            String errorKinds = r.path("error_kinds").size() == 0 ? "0" : r.path("errors").asLong() + " ("
                    + kinds(r.path("error_kinds")) + ")";
            JsonNode last = r.path("segments").get(r.path("segments").size() - 1);
            String label = name.replace("gpuproxyd-", "gpuproxyd `").replace("haproxy-", "HAProxy `") + "`";
            md.append("| ").append(label).append(" | ")
                    .append(fmt2(r.path("latency").path("p50_ms").asDouble())).append(" | ")
                    .append(fmt2(r.path("latency").path("p99_ms").asDouble())).append(" | ")
                    .append(fmt2(r.path("latency").path("p999_ms").asDouble())).append(" | ")
                    .append(fmt2(r.path("latency").path("max_ms").asDouble())).append(" | ")
                    .append(pct(r.path("error_rate").asDouble())).append(" | ")
                    .append(errorKinds).append(" | ")
                    .append(r.path("unfinished_after_drain").asLong()).append(" | ")
                    .append(failedAtUpstream(r, meta)).append(" | ")
                    .append(pct(slowShare)).append(" | ")
                    .append(last == null ? "-" : fmt2(last.path("latency").path("p99_ms").asDouble())).append(" |\n");
            lbTable.append("| ").append(label).append(" | ")
                    .append(fmt2(r.path("latency").path("p50_ms").asDouble())).append(" | ")
                    .append(fmt2(r.path("latency").path("p99_ms").asDouble())).append(" | ")
                    .append(pct(r.path("error_rate").asDouble())).append(" | ")
                    .append(pct(slowShare)).append(" |\n");
        }
        JsonNode lrt = byName.get("gpuproxyd-least_response_time");
        JsonNode leastconn = byName.get("haproxy-leastconn");
        if (lrt != null && leastconn != null) {
            double a = lrt.path("latency").path("p99_ms").asDouble();
            double b = leastconn.path("latency").path("p99_ms").asDouble();
            double better = (b - a) / b;
            long errors = lrt.path("errors").asLong();
            boolean met = better >= 0.2 && errors == 0;
            targets.add(new String[] {"least_response_time p99 vs HAProxy leastconn, zero client-visible errors",
                    ">= 20% lower p99, 0 errors", pct(better) + " lower (" + fmt2(a) + " vs " + fmt2(b) + " ms), "
                    + errors + " errors", verdict(met, better >= 0.2 ? (errors == 0 ? "by " + pct(better - 0.2)
                    + " points" : errors + " client-visible errors") : "p99 short of the goal by "
                    + pct(0.2 - better) + " points" + (errors == 0 ? "" : ", " + errors + " errors"))});
        }
        // Issue 16: a rotating strategy gives a skipped backend's turn to the next turn of the shared cursor, so the
        // slowed upstream keeps its fair share of the five healthy ones (20%), not its neighbour's as well.
        double rotatingShare = -1;
        StringBuilder rotating = new StringBuilder();
        for (String name : new String[] {"round_robin", "weighted_round_robin"}) {
            JsonNode r = byName.get("gpuproxyd-" + name);
            if (r != null) {
                double share = slowShare(r, meta);
                rotatingShare = Math.max(rotatingShare, share);
                rotating.append(rotating.length() == 0 ? "" : ", ").append("`").append(name).append("` ")
                        .append(pct(share));
            }
        }
        JsonNode haproxyRoundRobin = byName.get("haproxy-roundrobin");
        if (rotatingShare >= 0) {
            if (haproxyRoundRobin != null) {
                rotating.append("; HAProxy `roundrobin` ").append(pct(slowShare(haproxyRoundRobin, meta)));
            }
            targets.add(new String[] {"rotating strategies: share of the slowed upstream of five", "<= 21%",
                    rotating.toString(), verdict(rotatingShare <= 0.21, rotatingShare <= 0.21
                    ? "by " + pct(0.21 - rotatingShare) + " points" : "over by " + pct(rotatingShare - 0.21) + " points")});
        }
        md.append("\nThis run: ").append(meta.getProperty("upstreams", "")).append(". Load: ")
                .append(meta.getProperty("load", "")).append(".\n");
        if (meta.getProperty("note") != null) {
            md.append("\n").append(meta.getProperty("note")).append("\n");
        }
        double drain = byName.values().stream().mapToDouble(r -> r.path("drain_s").asDouble()).max().orElse(0);
        sections.put("balance", md.toString().replace("DRAIN", String.format(Locale.ROOT, "%.0f", drain)));
        Files.writeString(run.resolve("loadbalancing-table.md"), lbTable.toString());
    }

    /** Requests the slowed upstream served while slowed, over the client requests due in that period. */
    private static double slowShare(JsonNode r, Properties meta) {
        String slowName = meta.getProperty("slowed_upstream", "");
        long slowed = 0;
        for (JsonNode u : r.path("upstreams")) {
            if (u.path("name").asText().equals(slowName)) {
                slowed = u.path("slowed_requests").asLong();
            }
        }
        long after = 0;
        JsonNode segments = r.path("segments");
        for (int i = 1; i < segments.size(); i++) {
            after += segments.get(i).path("requests").asLong();
        }
        return after == 0 ? 0 : (double) slowed / after;
    }

    private static String failedAtUpstream(JsonNode r, Properties meta) {
        String failName = meta.getProperty("failing_upstream", "");
        for (JsonNode u : r.path("upstreams")) {
            if (u.path("name").asText().equals(failName)) {
                return fmtInt(u.path("failed_requests").asDouble());
            }
        }
        return "-";
    }

    private void selection() throws IOException {
        JsonNode jmh = read(run.resolve("jmh.json"));
        if (jmh == null) {
            return;
        }
        ArrayNode rows = results.putArray("selection");
        Map<String, Map<Integer, double[]>> table = new LinkedHashMap<>();
        for (String s : STRATEGIES) {
            table.put(s, new LinkedHashMap<>());
        }
        double maxAlloc = 0;
        for (JsonNode b : jmh) {
            String strategy = b.path("params").path("strategy").asText();
            int size = b.path("params").path("backends").asInt();
            double score = b.path("primaryMetric").path("score").asDouble();
            double error = b.path("primaryMetric").path("scoreError").asDouble();
            double alloc = Double.NaN;
            Iterator<Map.Entry<String, JsonNode>> secondary = b.path("secondaryMetrics").fields();
            while (secondary.hasNext()) {
                Map.Entry<String, JsonNode> e = secondary.next();
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().path("score").asDouble();
                }
            }
            if (!Double.isNaN(alloc)) {
                maxAlloc = Math.max(maxAlloc, alloc);
            }
            table.computeIfAbsent(strategy, k -> new LinkedHashMap<>()).put(size, new double[] {score, error, alloc});
            ObjectNode row = rows.addObject();
            row.put("strategy", strategy);
            row.put("backends", size);
            row.put("ns_per_op", round3(score));
            row.put("ns_per_op_error", round3(error));
            row.put("bytes_per_op", Double.isNaN(alloc) ? null : round3(alloc));
        }
        StringBuilder md = new StringBuilder("| strategy | 2 backends | 16 backends | 256 backends |\n"
                + "|---|---|---|---|\n");
        for (Map.Entry<String, Map<Integer, double[]>> e : table.entrySet()) {
            md.append("| `").append(e.getKey()).append("` |");
            for (int size : new int[] {2, 16, 256}) {
                double[] v = e.getValue().get(size);
                md.append(v == null ? " - |" : String.format(Locale.ROOT, " %.1f%s ns, %s B |", v[0],
                        Double.isNaN(v[1]) ? "" : String.format(Locale.ROOT, " ± %.1f", v[1]),
                        Double.isNaN(v[2]) ? "?" : String.format(Locale.ROOT, "%.1f", v[2])));
            }
            md.append('\n');
        }
        targets.add(new String[] {"picks allocate nothing (LOADBALANCING.md's claim)", "0 B/op",
                "at most " + String.format(Locale.ROOT, "%.2f", maxAlloc) + " B/op", verdict(maxAlloc < 1,
                maxAlloc < 1 ? "JMH's gc profiler reports ~0 B/op" : "picks allocate")});
        sections.put("jmh", md.toString());
    }

    private void soak(String section) throws IOException {
        JsonNode soak = read(run.resolve("soak.json"));
        if (soak == null) {
            return;
        }
        results.set(section.replace('-', '_'), soak);
        JsonNode memory = soak.path("memory");
        StringBuilder md = new StringBuilder();
        Properties meta = properties(run.resolve("soak.properties"));
        if (meta.getProperty("note") != null) {
            md.append(meta.getProperty("note")).append("\n\n");
        }
        md.append("| t (s) | heap after full GC (MiB) | RSS (MiB) |\n|---|---|---|\n");
        for (JsonNode point : memory) {
            md.append("| ").append(point.path("t_s").asText()).append(" | ")
                    .append(fmt2(point.path("heap_after_gc").path("used_mib").asDouble())).append(" | ")
                    .append(fmtInt(point.path("rss_mib").asDouble())).append(" |\n");
        }
        md.append("\nLoad: ").append(fmtInt(soak.path("rate_target").asDouble())).append(" requests/s for ")
                .append(fmtInt(soak.path("duration_s").asDouble())).append(" s (")
                .append(fmtInt(soak.path("sent").asDouble())).append(" sent), p50 ")
                .append(fmt2(soak.path("latency").path("p50_ms").asDouble())).append(" ms, p99 ")
                .append(fmt2(soak.path("latency").path("p99_ms").asDouble())).append(" ms, errors ")
                .append(soak.path("errors").asLong()).append(".\n");
        // A heap the probe could not read (an unknown collector's GC.heap_info) is no evidence of a flat heap.
        boolean heapRead = memory.size() >= 2 && memory.get(0).path("heap_after_gc").has("used_mib")
                && memory.get(memory.size() - 1).path("heap_after_gc").has("used_mib");
        if (memory.size() >= 2 && !heapRead) {
            md.append("Heap after GC: not readable from `jcmd GC.heap_info` in this run.\n");
        }
        if (heapRead) {
            double start = memory.get(0).path("heap_after_gc").path("used_mib").asDouble();
            double end = memory.get(memory.size() - 1).path("heap_after_gc").path("used_mib").asDouble();
            double growth = end - start;
            boolean met = growth <= Math.max(2.0, start * 0.05);
            md.append("Heap after GC: ").append(fmt2(start)).append(" MiB at the start, ").append(fmt2(end))
                    .append(" MiB at the end (").append(signed(growth)).append(" MiB).\n");
            targets.add(new String[] {(section.equals("soak-full") ? "memory over 10 minutes" : "memory, shortened soak ("
                    + fmtInt(soak.path("duration_s").asDouble()) + " s)"), "no heap growth (after GC; "
                    + "tolerance 5% or 2 MiB)", fmt2(start) + " -> " + fmt2(end) + " MiB",
                    verdict(met, signed(growth) + " MiB")});
        }
        sections.put(section, md.toString());
    }

    private void jfr() throws IOException {
        jfr("jfr.json", "jfr", "gpuproxyd during the c=256 pass-through load");
        jfr("jfr-streams.json", "jfr-streams", "gpuproxyd during its largest streaming run");
    }

    private void jfr(String file, String section, String what) throws IOException {
        JsonNode jfr = read(run.resolve(file));
        if (jfr == null) {
            return;
        }
        results.set(section.replace('-', '_'), jfr);
        StringBuilder md = new StringBuilder();
        md.append("Recording: ").append(what).append(" (").append(jfr.path("cpu_samples").asLong())
                .append(" CPU samples; GC: ").append(jfr.path("gc_count").asLong()).append(" collections, ")
                .append(jfr.path("gc_pause_total_ms").asLong()).append(" ms paused in total, longest ")
                .append(jfr.path("gc_pause_max_ms").asLong()).append(" ms");
        long requested = jfr.path("gc_requested_count").asLong();
        if (requested > 0) {
            md.append("; not counted: ").append(requested).append(requested == 1 ? " full collection" : " full collections")
                    .append(" the benchmark asked for with `jcmd GC.run` to measure the live heap, longest ")
                    .append(jfr.path("gc_requested_pause_max_ms").asLong()).append(" ms");
        }
        md.append(").\n\n");
        if (section.equals("jfr-streams")) {
            long longest = jfr.path("gc_pause_max_ms").asLong();
            targets.add(new String[] {"no GC pause over 20 ms during the largest streaming run", "<= 20 ms",
                    "longest " + longest + " ms (" + jfr.path("gc_count").asLong() + " collections)",
                    verdict(longest <= 20, longest <= 20 ? "by " + (20 - longest) + " ms" : "over by " + (longest - 20)
                            + " ms")});
        }
        md.append("CPU samples with no gpuproxy method on the stack (Netty, Vert.x, Quarkus HTTP, metrics, JSON of the "
                + "framework): ").append(jfr.path("framework_only_share").asText()).append("%.\n\n");
        table(md, "CPU samples by innermost gpuproxy method (its own work and the library calls it makes)",
                jfr.path("by_innermost_gpuproxy_frame"), 12);
        table(md, "CPU samples without a gpuproxy frame, by package", jfr.path("framework_only_by_package"), 8);
        table(md, "Top methods by CPU samples (self)", jfr.path("top_self"), 12);
        if (jfr.path("db_connection_waits").size() > 0) {
            md.append("| waits >= 20 ms for a database connection, by gpuproxy entry point | waits | total ms |\n"
                    + "|---|---|---|\n");
            for (JsonNode row : jfr.path("db_connection_waits")) {
                md.append("| `").append(row.path("name").asText()).append("` | ").append(row.path("waits").asLong())
                        .append(" | ").append(row.path("total_ms").asLong()).append(" |\n");
            }
            md.append('\n');
        }
        // Allocation samples stay in the JSON only: each carries the weight of a whole TLAB, too coarse for a table.
        sections.put(section, md.toString());
    }

    /** Cold start, cost per 1k output tokens (autoscaled vs fixed pool) and scale to zero (bench autopilot). */
    private void autopilot() throws IOException {
        JsonNode ap = read(run.resolve("autopilot.json"));
        if (ap == null) {
            return;
        }
        results.set("autopilot", ap);
        JsonNode setup = ap.path("setup");
        JsonNode cold = ap.path("cold_start");
        JsonNode auto = ap.path("autoscaled");
        JsonNode fixed = ap.path("fixed");
        StringBuilder md = new StringBuilder();
        Properties meta = properties(run.resolve("autopilot.properties"));
        if (meta.getProperty("gpuproxyd") != null) {
            md.append("Setup: ").append(meta.getProperty("gpuproxyd")).append(".\n\n");
        }
        md.append("| cold start (first request to a pool with 0 GPUs) | ms |\n|---|---|\n")
                .append("| request sent -> answer | ").append(cold.path("total_ms").asLong()).append(" |\n")
                .append("| of which the stand-in's boot delay (image pull + model load) | ")
                .append(cold.path("boot_delay_ms").asLong()).append(" |\n")
                .append("| of which gpuproxyd's own overhead | **").append(cold.path("gpuproxyd_overhead_ms").asLong())
                .append("** |\n")
                .append("| - request sent -> rental at vast.ai (decide, search offers, rent) | ")
                .append(cold.path("request_to_rental_ms").asLong()).append(" |\n")
                .append("| - rental -> GPU answering (the boot delay, plus starting the stub on a busy machine) | ")
                .append(cold.path("rental_to_ready_ms").asLong()).append(" |\n")
                .append("| - GPU answering -> answer (poll, readiness probe, join the pool, forward) | ")
                .append(cold.path("ready_to_answer_ms").asLong()).append(" |\n\n");
        md.append("| steady load: ").append(setup.path("rate_per_s").asInt()).append(" requests/s for ")
                .append(setup.path("load_s").asInt()).append(" s | autoscaled (cost_per_token, min 0, max ")
                .append(setup.path("max_gpus").asInt()).append(") | fixed pool of ").append(fixed.path("gpus").asInt())
                .append(" |\n|---|---|---|\n");
        apRow(md, "requests answered / sent", auto.path("ok").asLong() + " / " + auto.path("sent").asLong(),
                fixed.path("ok").asLong() + " / " + fixed.path("sent").asLong());
        apRow(md, "errors", String.valueOf(auto.path("errors").asLong()), String.valueOf(fixed.path("errors").asLong()));
        apRow(md, "p50 / p99 latency (ms)", fmt2(auto.path("p50_ms").asDouble()) + " / "
                + fmt2(auto.path("p99_ms").asDouble()), fmt2(fixed.path("p50_ms").asDouble()) + " / "
                + fmt2(fixed.path("p99_ms").asDouble()));
        apRow(md, "GPUs (rentals; most at once)", auto.path("rentals").asInt() + "; " + auto.path("peak_gpus").asInt(),
                fixed.path("gpus").asInt() + " all the time");
        apRow(md, "GPU-hours billed", String.format(Locale.ROOT, "%.4f", auto.path("gpu_hours").asDouble()),
                String.format(Locale.ROOT, "%.4f", fixed.path("gpu_hours").asDouble()));
        apRow(md, "cost (USD)", String.format(Locale.ROOT, "%.5f", auto.path("cost_usd").asDouble()),
                String.format(Locale.ROOT, "%.5f", fixed.path("cost_usd").asDouble()));
        apRow(md, "output tokens served", fmtInt(auto.path("billed_tokens").asDouble()),
                fmtInt(fixed.path("billed_tokens").asDouble()));
        double autoPer1k = auto.path("usd_per_1k_tokens").asDouble();
        double fixedPer1k = fixed.path("usd_per_1k_tokens").asDouble();
        apRow(md, "**USD per 1k output tokens**", String.format(Locale.ROOT, "**%.6f**", autoPer1k),
                String.format(Locale.ROOT, "**%.6f**", fixedPer1k));
        long toZero = ap.path("scale_to_zero").path("last_request_to_zero_ms").asLong();
        md.append("\nScale to zero: the last GPU was destroyed ").append(toZero).append(" ms after the last request (")
                .append("idle_release ").append(setup.path("idle_release").asText()).append(").\n");
        JsonNode m = results.path("machine");
        md.append("\nRun: ").append(m.path("date").asText()).append(", `").append(m.path("command").asText())
                .append("`, load average ").append(m.path("load_before").asText()).append(" before.");
        sections.put("autopilot", md.toString());
        long errors = auto.path("errors").asLong() + fixed.path("errors").asLong();
        boolean met = errors == 0 && autoPer1k > 0 && autoPer1k < fixedPer1k;
        targets.add(new String[] {"autopilot: cost per 1k output tokens vs a fixed pool of max size, no errors",
                "cheaper, 0 errors, back to 0 GPUs", String.format(Locale.ROOT, "%.6f vs %.6f USD, %d errors, cold start "
                + "%d ms (%d ms of it gpuproxyd), zero after %d ms", autoPer1k, fixedPer1k, errors,
                cold.path("total_ms").asLong(), cold.path("gpuproxyd_overhead_ms").asLong(), toZero),
                verdict(met, fixedPer1k > 0 ? String.format(Locale.ROOT, "%.0f%% of the fixed pool's cost per token",
                        autoPer1k / fixedPer1k * 100) : "no fixed-pool tokens")});
    }

    private static void apRow(StringBuilder md, String what, String autoscaled, String fixed) {
        md.append("| ").append(what).append(" | ").append(autoscaled).append(" | ").append(fixed).append(" |\n");
    }

    private static void table(StringBuilder md, String title, JsonNode rows, int limit) {
        md.append("| ").append(title).append(" | share |\n|---|---|\n");
        int n = 0;
        for (JsonNode row : rows) {
            if (n++ >= limit) {
                break;
            }
            md.append("| `").append(row.path("name").asText()).append("` | ").append(row.path("share").asText())
                    .append("% |\n");
        }
        md.append('\n');
    }

    private void targets() {
        if (targets.isEmpty()) {
            return;
        }
        ArrayNode rows = results.putArray("targets");
        StringBuilder md = new StringBuilder("| target | goal | measured | verdict |\n|---|---|---|---|\n");
        for (String[] t : targets) {
            ObjectNode row = rows.addObject();
            row.put("target", t[0]);
            row.put("goal", t[1]);
            row.put("measured", t[2]);
            row.put("verdict", t[3]);
            md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" | ")
                    .append(t[3]).append(" |\n");
        }
        sections.put("targets", md.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void writeMarkdown(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        for (Map.Entry<String, String> e : sections.entrySet()) {
            String begin = "<!-- generated:" + e.getKey() + ":begin -->";
            String end = "<!-- generated:" + e.getKey() + ":end -->";
            String block = begin + "\n" + e.getValue().stripTrailing() + "\n" + end;
            int b = text.indexOf(begin);
            int en = text.indexOf(end);
            if (b >= 0 && en > b) {
                text = text.substring(0, b) + block + text.substring(en + end.length());
            } else {
                text = text.stripTrailing() + "\n\n" + block + "\n";
            }
        }
        Files.writeString(file, text);
    }

    private static JsonNode read(Path file) throws IOException {
        return Files.exists(file) ? Json.MAPPER.readTree(file.toFile()) : null;
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
        }
        return p;
    }

    private static double rps(JsonNode wrk) {
        if (wrk == null) {
            return 0;
        }
        return wrk.path("requests").asDouble() / (wrk.path("duration_us").asDouble() / 1e6);
    }

    private static double micros(JsonNode wrk, String percentile) {
        return wrk == null ? 0 : wrk.path("latency_us").path(percentile).asDouble();
    }

    private static String kinds(JsonNode kinds) {
        List<String> parts = new ArrayList<>();
        kinds.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + e.getValue().asLong()));
        return String.join(", ", parts);
    }

    private static String verdict(boolean met, String detail) {
        return (met ? "**met**" : "**missed**") + " (" + detail + ")";
    }

    private static String cell(String value) {
        return value.replace("|", "\\|").replace("\n", "<br>");
    }

    /** A pass-through row's proxy CPU per request, with the kernel's part where the run measured it. */
    private static String cpuPerRequest(JsonNode passRow) {
        String total = fmtInt(passRow.path("proxy_cpu_us_per_request").asDouble()) + " µs";
        JsonNode kernel = passRow.path("proxy_kernel_cpu_us_per_request");
        return kernel.isNumber() ? total + " (" + fmtInt(kernel.asDouble()) + " in the kernel)" : total;
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmtInt(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
