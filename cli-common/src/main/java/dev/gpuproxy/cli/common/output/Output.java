package dev.gpuproxy.cli.common.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gpuproxy.cli.common.http.Json;
import java.io.PrintWriter;

/**
 * Where a command's result and remarks go: the result to stdout (text or JSON per {@code --format}), remarks and
 * warnings to stderr so that piping stdout into another program stays clean.
 */
public final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    public Output(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public boolean isJson() {
        return format == OutputFormat.JSON;
    }

    /** Prints a value (usually the server's JSON) as indented JSON on stdout. */
    public void json(Object value) {
        try {
            out.println(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result cannot be written as JSON", e);
        }
        out.flush();
    }

    public void table(Table table) {
        table.print(out);
    }

    public void details(Details details) {
        details.print(out);
    }

    /** A line of text result on stdout. */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A remark for the person at the terminal on stderr; never part of the result. */
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }
}
