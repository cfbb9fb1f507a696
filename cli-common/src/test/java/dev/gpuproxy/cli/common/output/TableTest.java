package dev.gpuproxy.cli.common.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void padsColumnsToTheWidestCellWithoutTrailingBlanks() {
        Table table = Table.withColumns("id", "email", "role")
                .row(7, "alice@example.com", "admin")
                .row(12345, "bo@example.com", null);

        assertThat(print(table)).isEqualTo("""
                ID     EMAIL              ROLE
                7      alice@example.com  admin
                12345  bo@example.com     -
                """);
    }

    @Test
    void refusesARowWithTheWrongNumberOfCells() {
        assertThatThrownBy(() -> Table.withColumns("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells for 2 columns");
    }

    @Test
    void detailsAlignValuesAfterTheLongestLabel() {
        StringWriter out = new StringWriter();
        new Details().add("ID", 7).add("Rate limit/min", 100).add("Name", null).print(new PrintWriter(out));

        assertThat(out.toString().replace(System.lineSeparator(), "\n")).isEqualTo("""
                ID:              7
                Rate limit/min:  100
                Name:            -
                """);
    }

    private static String print(Table table) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        return out.toString().replace(System.lineSeparator(), "\n");
    }
}
