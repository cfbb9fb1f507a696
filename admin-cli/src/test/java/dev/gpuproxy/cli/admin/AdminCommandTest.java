package dev.gpuproxy.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCommandTest {

    @TempDir
    Path home;

    @Test
    void versionNamesTheToolAndItsVersion() {
        Result result = new CliRunner(AdminCommand::new, home).run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("^gpuproxy-admin \\d+\\.\\d+\\.\\d+\\S*\nJava 17");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : List.of("", "migrate", "users", "create-user", "make-admin", "create-apikey",
                "usage")) {
            Result result = new CliRunner(AdminCommand::new, home).run(
                    command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});

            assertThat(result.exitCode()).as("%s --help", command).isZero();
            assertThat(result.out()).as("%s --help", command)
                    .startsWith(("Usage: gpuproxy-admin " + command).trim())
                    .containsPattern("\nExamples:\n(  #.*\n)?  (DB_\\S+ )*gpuproxy-admin ");
        }
    }

    @Test
    void rootHelpListsEveryCommand() {
        Result result = new CliRunner(AdminCommand::new, home).run("--help");

        assertThat(result.out()).contains("Commands:", "  migrate ", "  users ", "  create-user ", "  make-admin ",
                "  create-apikey ", "  usage ");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        Result result = new CliRunner(AdminCommand::new, home).run("create-apikey", "bob@example.com");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("gpuproxy-admin: error: Missing required parameter: '<name>'",
                "Try 'gpuproxy-admin create-apikey --help'");
    }

    @Test
    void serverDownExitsThree() {
        String down = "http://127.0.0.1:" + Ports.closedPort();

        Result result = new CliRunner(AdminCommand::new, home).run("users", "--server", down, "--api-key",
                "gpx_abcdefgh_secret");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("gpuproxy-admin: error: cannot connect to the server at " + down)
                .doesNotContain("gpx_abcdefgh_secret");
    }
}
