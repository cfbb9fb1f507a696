package dev.gpuproxy.provider.ionet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per GPU for io.net hardware, whose listing names the model but not its memory: taken from the name
 * when it says ("A100 40GB"), otherwise from the model's standard size, 0 when unknown.
 */
final class GpuVram {

    private static final Pattern EXPLICIT = Pattern.compile("(\\d{1,3})\\s*GB", Pattern.CASE_INSENSITIVE);

    /** Checked in order, so that A100 wins over A10 and L40 over L4. */
    private static final Map<String, Double> STANDARD = new LinkedHashMap<>();

    static {
        STANDARD.put("GH200", 96.0);
        STANDARD.put("H200", 141.0);
        STANDARD.put("H100", 80.0);
        STANDARD.put("B200", 192.0);
        STANDARD.put("MI300X", 192.0);
        STANDARD.put("A100", 80.0);
        STANDARD.put("L40S", 48.0);
        STANDARD.put("L40", 48.0);
        STANDARD.put("A6000", 48.0);
        STANDARD.put("6000 ADA", 48.0);
        STANDARD.put("A40", 48.0);
        STANDARD.put("A10", 24.0);
        STANDARD.put("L4", 24.0);
        STANDARD.put("5090", 32.0);
        STANDARD.put("4090", 24.0);
        STANDARD.put("4080", 16.0);
        STANDARD.put("3090", 24.0);
        STANDARD.put("3080", 10.0);
        STANDARD.put("V100", 16.0);
        STANDARD.put("T4", 16.0);
    }

    private GpuVram() {
    }

    static double forName(String hardwareName) {
        if (hardwareName == null) {
            return 0;
        }
        Matcher explicit = EXPLICIT.matcher(hardwareName);
        if (explicit.find()) {
            return Double.parseDouble(explicit.group(1));
        }
        String name = hardwareName.toUpperCase(Locale.ROOT);
        for (Map.Entry<String, Double> model : STANDARD.entrySet()) {
            if (Pattern.compile("(?<![A-Z0-9])" + Pattern.quote(model.getKey()) + "(?![A-Z0-9])").matcher(name).find()) {
                return model.getValue();
            }
        }
        return 0;
    }
}
