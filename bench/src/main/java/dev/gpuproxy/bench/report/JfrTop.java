package dev.gpuproxy.bench.report;

import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot spots of a JFR recording (what {@code jfr print --events jdk.ExecutionSample} shows, aggregated): methods by
 * CPU samples on top of the stack (self), gpuproxy methods by samples anywhere in the stack (total), sampled
 * allocation by class and by the first gpuproxy frame that allocated, and GC pauses.
 *
 * <p>{@code jfr-top --file gpuproxyd.jfr --out jfr.json [--top 15]}
 */
public final class JfrTop {

    private static final String OURS = "dev.gpuproxy.";
    /**
     * The cause JFR gives a collection started by {@code jcmd GC.run}: the load generators run one after a streaming run
     * or soak round to measure the live heap (ProcessProbe.heapAfterGc), so it is the benchmark's pause, not gpuproxyd's.
     */
    private static final String REQUESTED_BY_THE_BENCHMARK = "Diagnostic Command";

    private JfrTop() {
    }

    public static void main(Args args) throws Exception {
        int top = args.intValue("top", 15);
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> oursTotal = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> innermostOurs = new HashMap<>();
        Map<String, Long> frameworkOnly = new HashMap<>();
        Map<String, Long> dbWaitCount = new HashMap<>();
        Map<String, Long> dbWaitMillis = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        long samples = 0;
        long allocWeight = 0;
        long gcCount = 0;
        Duration gcPause = Duration.ZERO;
        Duration longestPause = Duration.ZERO;
        long requestedGcCount = 0;
        Duration longestRequestedPause = Duration.ZERO;
        try (RecordingFile file = new RecordingFile(Path.of(args.value("file")))) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        List<RecordedFrame> frames = stack.getFrames();
                        String topFrame = name(frames.get(0));
                        self.merge(topFrame, 1L, Long::sum);
                        packages.merge(packageOf(frames.get(0)), 1L, Long::sum);
                        Set<String> seen = new HashSet<>();
                        String innermost = null;
                        for (RecordedFrame frame : frames) {
                            String n = name(frame);
                            if (n.startsWith(OURS) && seen.add(n)) {
                                oursTotal.merge(n, 1L, Long::sum);
                            }
                            if (innermost == null && isOwnCode(n)) {
                                innermost = n;
                            }
                        }
                        // Where the CPU goes on behalf of our code: the innermost gpuproxy method on the stack (its
                        // own work and the library calls it makes), or, with none, the framework (HTTP, Netty, ...).
                        if (innermost != null) {
                            innermostOurs.merge(innermost, 1L, Long::sum);
                        } else {
                            frameworkOnly.merge(packageOf(frames.get(0)), 1L, Long::sum);
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = event.getLong("weight");
                        allocWeight += weight;
                        String cls = event.getClass("objectClass").getName();
                        allocByClass.merge(cls, weight, Long::sum);
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack != null) {
                            for (RecordedFrame frame : stack.getFrames()) {
                                String n = name(frame);
                                if (n.startsWith(OURS)) {
                                    allocBySite.merge(n, weight, Long::sum);
                                    break;
                                }
                            }
                        }
                    }
                    case "jdk.ThreadPark" -> {
                        // Waits for a database connection (agroal), by the gpuproxy entry point that waited.
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null) {
                            continue;
                        }
                        boolean db = false;
                        String entry = null;
                        for (RecordedFrame frame : stack.getFrames()) {
                            String n = name(frame);
                            db |= n.startsWith("io.agroal.pool.ConnectionPool");
                            if (isOwnCode(n)) {
                                entry = n;
                            }
                        }
                        if (db) {
                            String key = entry == null ? "(no gpuproxy frame)" : entry;
                            dbWaitCount.merge(key, 1L, Long::sum);
                            dbWaitMillis.merge(key, event.getDuration().toMillis(), Long::sum);
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        Duration pause = event.getDuration("sumOfPauses");
                        if (REQUESTED_BY_THE_BENCHMARK.equals(event.getString("cause"))) {
                            // the full GC that measures the live heap after the run (jcmd GC.run), not gpuproxyd's
                            requestedGcCount++;
                            if (pause.compareTo(longestRequestedPause) > 0) {
                                longestRequestedPause = pause;
                            }
                            continue;
                        }
                        gcCount++;
                        gcPause = gcPause.plus(pause);
                        if (pause.compareTo(longestPause) > 0) {
                            longestPause = pause;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", Path.of(args.value("file")).getFileName().toString());
        out.put("cpu_samples", samples);
        out.put("top_self", topShare(self, samples, top));
        out.put("top_packages_self", topShare(packages, samples, top));
        out.put("top_gpuproxy_total", topShare(oursTotal, samples, top));
        out.put("by_innermost_gpuproxy_frame", topShare(innermostOurs, samples, top));
        long frameworkSamples = frameworkOnly.values().stream().mapToLong(Long::longValue).sum();
        out.put("framework_only_share", samples == 0 ? 0 : Math.round(frameworkSamples * 1000.0 / samples) / 10.0);
        out.put("framework_only_by_package", topShare(frameworkOnly, samples, top));
        List<Map<String, Object>> waits = new ArrayList<>();
        dbWaitMillis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", e.getKey());
                    row.put("waits", dbWaitCount.get(e.getKey()));
                    row.put("total_ms", e.getValue());
                    waits.add(row);
                });
        out.put("db_connection_waits", waits);
        out.put("allocation_sampled_mib", Math.round(allocWeight / 1048576.0));
        out.put("top_allocated_classes", topShare(allocByClass, allocWeight, top));
        out.put("top_allocation_sites_gpuproxy", topShare(allocBySite, allocWeight, top));
        out.put("gc_count", gcCount);
        out.put("gc_pause_total_ms", gcPause.toMillis());
        out.put("gc_pause_max_ms", longestPause.toMillis());
        out.put("gc_requested_count", requestedGcCount);
        out.put("gc_requested_pause_max_ms", longestRequestedPause.toMillis());
        Json.write(Path.of(args.value("out")), out);
        System.out.println(Json.MAPPER.writeValueAsString(out));
    }

    private static List<Map<String, Object>> topShare(Map<String, Long> counts, long total, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", e.getKey());
                    row.put("count", e.getValue());
                    row.put("share", total == 0 ? 0 : Math.round(e.getValue() * 1000.0 / total) / 10.0);
                    rows.add(row);
                });
        return rows;
    }

    /** Our own methods, without the generated glue (lambdas, CDI subclasses and proxies, route invokers). */
    private static boolean isOwnCode(String name) {
        return name.startsWith(OURS) && !name.contains("$$Lambda") && !name.contains("_Subclass")
                && !name.contains("_ClientProxy") && !name.contains("_RouteHandler_") && !name.contains("_Bean.")
                && !name.contains("ScheduledInvoker");
    }

    private static String name(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (int i = 0; i < Math.min(3, parts.length - 1); i++) {
            if (i > 0) {
                pkg.append('.');
            }
            pkg.append(parts[i]);
        }
        return pkg.length() == 0 ? type : pkg.toString();
    }
}
