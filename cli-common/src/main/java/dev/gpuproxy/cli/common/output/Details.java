package dev.gpuproxy.cli.common.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
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

    /** Adds a line with a field of a server object (see {@link Json#text}). */
    public Details field(String label, JsonNode object, String field) {
        return add(label, Json.text(object, field));
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
