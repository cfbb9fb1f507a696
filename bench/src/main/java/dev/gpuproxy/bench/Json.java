package dev.gpuproxy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** JSON output of the tools, and the latency summary they all report. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static void write(Path file, Object value) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            MAPPER.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** p50/p90/p99/p99.9/max/mean in milliseconds of a histogram recorded in microseconds. */
    public static Map<String, Object> latency(Histogram micros) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", micros.getTotalCount());
        if (micros.getTotalCount() == 0) {
            return out;
        }
        out.put("p50_ms", ms(micros.getValueAtPercentile(50)));
        out.put("p90_ms", ms(micros.getValueAtPercentile(90)));
        out.put("p99_ms", ms(micros.getValueAtPercentile(99)));
        out.put("p999_ms", ms(micros.getValueAtPercentile(99.9)));
        out.put("max_ms", ms(micros.getMaxValue()));
        out.put("mean_ms", Math.round(micros.getMean()) / 1000.0);
        return out;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
