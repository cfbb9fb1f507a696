package dev.gpuproxy.cli.common.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** One record for people: "Label:  value" lines with the values aligned, for a user, a key or usage figures. */
public final class Details {

    private record Line(String label, String value) {
    }

    private final List<Line> lines = new ArrayList<>();

    /** Adds a line; null values print as "-". */
    public Details add(String label, Object value) {
        lines.add(new Line(label, value == null ? "-" : value.toString()));
        return this;
    }

    public void print(PrintWriter out) {
        int width = lines.stream().mapToInt(line -> line.label().length()).max().orElse(0) + 1;
        for (Line line : lines) {
            String label = line.label() + ":";
            out.println((label + " ".repeat(width - label.length() + 2) + line.value()).stripTrailing());
        }
        out.flush();
    }
}
