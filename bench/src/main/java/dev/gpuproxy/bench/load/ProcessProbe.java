package dev.gpuproxy.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of another JVM (gpuproxyd): RSS from /proc, heap through jcmd. */
public final class ProcessProbe {

    /** G1, Parallel and Serial: "garbage-first heap   total 524288K, used 123456K". */
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    /** Shenandoah: "524288K max, 524288K soft max, 524288K committed, 123456K used". */
    private static final Pattern SHENANDOAH_USED = Pattern.compile("(\\d+)K committed, (\\d+)K used");
    private final long pid;

    public ProcessProbe(long pid) {
        this.pid = pid;
    }

    /** VmRSS in MiB (-1 when the process is gone). */
    public double rssMib() {
        return statusField("VmRSS:");
    }

    /** VmHWM (peak RSS) in MiB. */
    public double peakRssMib() {
        return statusField("VmHWM:");
    }

    private double statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return -1;
        }
        return -1;
    }

    /** Heap used and committed now (MiB), as {@code jcmd GC.heap_info} reports it. */
    public Map<String, Double> heap() {
        return parseHeap(jcmd("GC.heap_info"));
    }

    /** Runs a full GC ({@code jcmd GC.run}), then reports the heap: the live set. */
    public Map<String, Double> heapAfterGc() {
        jcmd("GC.run");
        return parseHeap(jcmd("GC.heap_info"));
    }

    private static Map<String, Double> parseHeap(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = HEAP_USED.matcher(text);
        if (!m.find()) {
            m = SHENANDOAH_USED.matcher(text);
        }
        if (m.find(0)) {
            out.put("committed_mib", Long.parseLong(m.group(1)) / 1024.0);
            out.put("used_mib", Long.parseLong(m.group(2)) / 1024.0);
        }
        return out;
    }

    private String jcmd(String command) {
        try {
            Process process = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            process.waitFor(60, TimeUnit.SECONDS);
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
