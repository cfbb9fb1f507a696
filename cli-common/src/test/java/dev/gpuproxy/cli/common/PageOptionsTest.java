package dev.gpuproxy.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.cli.common.output.Output;
import dev.gpuproxy.cli.common.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The paging mixin: its options on any command, usage errors for impossible pages, the next-page hint. */
class PageOptionsTest {

    @Command(name = "things")
    static final class Things implements Callable<Integer> {
        @Mixin
        PageOptions paging;

        @Override
        public Integer call() {
            paging.check(500);
            return 0;
        }
    }

    private static String errorOf(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Things()).setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return exit + " " + err.toString().lines().findFirst().orElse("");
    }

    @Test
    void theOptionsReachTheCommand() {
        Things things = new Things();
        new CommandLine(things).parseArgs("--limit", "20", "--offset", "40");
        assertThat(things.paging.limit()).isEqualTo(20);
        assertThat(things.paging.offset()).isEqualTo(40);
        assertThat(errorOf("--limit", "500")).isEqualTo("0 ");
    }

    @Test
    void anImpossiblePageIsAUsageError() {
        assertThat(errorOf("--limit", "0")).isEqualTo("2 --limit must be between 1 and 500 (got 0)");
        assertThat(errorOf("--limit", "501")).isEqualTo("2 --limit must be between 1 and 500 (got 501)");
        assertThat(errorOf("--offset", "-1")).isEqualTo("2 --offset must not be negative (got -1)");
    }

    @Test
    void theNextPageHintNamesTheResultsAndTheOffset() {
        StringWriter err = new StringWriter();
        Output output = new Output(new PrintWriter(new StringWriter()), new PrintWriter(err), OutputFormat.TEXT);
        PageOptions.nextPageNote(output, "Users", 50, 50, 120);
        assertThat(err.toString()).isEqualTo("Users 51-100 of 120; use --offset 100 for the next page.\n");
    }
}
