package dev.gpuproxy.cli.common;

import dev.gpuproxy.cli.common.output.Output;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The paging options of list commands as a picocli mixin: {@code --limit} and {@code --offset}, checked before the
 * server is asked, and the note that tells how to get the next page.
 */
public final class PageOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--limit", paramLabel = "<n>", description = "Results per page (default: the server's).")
    Integer limit;

    @Option(names = "--offset", paramLabel = "<n>", description = "Results to skip (default: 0).")
    Integer offset;

    /** The page size asked for; null leaves it to the server. */
    public Integer limit() {
        return limit;
    }

    /** The results to skip; null leaves it to the server (0). */
    public Integer offset() {
        return offset;
    }

    /** Rejects a limit below 1 or above {@code max} and a negative offset as usage errors (exit 2). */
    public void check(int max) {
        if (limit != null && (limit < 1 || limit > max)) {
            throw usageError(max == Integer.MAX_VALUE
                    ? "--limit must be at least 1 (got " + limit + ")"
                    : "--limit must be between 1 and " + max + " (got " + limit + ")");
        }
        if (offset != null && offset < 0) {
            throw usageError("--offset must not be negative (got " + offset + ")");
        }
    }

    /** {@link #check(int)} without an upper bound for the limit. */
    public void check() {
        check(Integer.MAX_VALUE);
    }

    /**
     * Tells on stderr which results were shown and how to get the next page, such as
     * "Users 1-50 of 120; use --offset 50 for the next page."
     *
     * @param what  the results, capitalized ("Users")
     * @param first how many results came before this page
     * @param shown the results on this page
     * @param total all results
     */
    public static void nextPageNote(Output output, String what, long first, int shown, long total) {
        output.note(what + " " + (first + 1) + "-" + (first + shown) + " of " + total + "; use --offset "
                + (first + shown) + " for the next page.");
    }

    private ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
