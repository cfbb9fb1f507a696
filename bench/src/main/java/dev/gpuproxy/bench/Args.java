package dev.gpuproxy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options; a name may repeat ({@link #all}); {@code --flag} alone means {@code true}. */
public final class Args {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value = "true";
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                value = argv[++i];
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    public String value(String name) {
        List<String> list = values.get(name);
        if (list == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return list.get(list.size() - 1);
    }

    public String value(String name, String fallback) {
        List<String> list = values.get(name);
        return list == null ? fallback : list.get(list.size() - 1);
    }

    public int intValue(String name, int fallback) {
        return Integer.parseInt(value(name, String.valueOf(fallback)));
    }

    public long longValue(String name, long fallback) {
        return Long.parseLong(value(name, String.valueOf(fallback)));
    }

    public double doubleValue(String name, double fallback) {
        return Double.parseDouble(value(name, String.valueOf(fallback)));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(value(name, "false"));
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}
