package dev.gpuproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code bin/gpuproxyd} commands, run as an operator runs them, against the packaged server. */
class GpuproxydLauncherIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private Map<String, String> sqlite() {
        return Map.of("DB_PATH", workDir.resolve("launcher.db").toString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> register(ServerProcess server, String email)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/auth/register"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer gpx_launch01_notarealsecretvalue")
                .header("X-API-Key", "gpx_launch01_anothersecretvalue")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                        + "\",\"name\":\"Launcher\"}")));
    }

    @Test
    void developerAndDebugModeFlagsShowTheBannerTheUiAndEveryExchangeMasked() throws Exception {
        try (ServerProcess server = ServerProcess.startLauncher(workDir, sqlite(), "-dv", "-dm")) {
            server.awaitHealthy(STARTUP);
            HttpResponse<String> created = register(server, "dev@example.test");
            HttpResponse<String> ui = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/q/swagger-ui/")));

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(ui.statusCode()).isEqualTo(200);
            String log = awaitOutput(server, "<-- #\\d+ 201 POST /api/v1/auth/register");
            String base = server.baseUrl().replace("127.0.0.1", "localhost");
            assertThat(log).contains("gpuproxyd in developer mode")
                    .contains(base + "/api/v1", base + "/admin", base + "/q/swagger-ui");
            assertThat(log).containsPattern("--> #\\d+ POST /api/v1/auth/register from .*(?i:authorization): \\*\\*\\*")
                    .containsPattern("(?i:x-api-key): \\*\\*\\*")
                    .containsPattern("--> #\\d+ body \\{\"email\":\"dev@example.test\",\"password\":\"\\*\\*\\*\"")
                    .containsPattern("<-- #\\d+ 201 POST /api/v1/auth/register \\d+\\.\\d ms")
                    .containsPattern("<-- #\\d+ body \\{\"user\":\\{.*\"email\":\"dev@example.test\"");
            assertThat(log).doesNotContain(PASSWORD, "notarealsecretvalue", "anothersecretvalue");
            // DEBUG lines of gpuproxy's own loggers, in the short readable format
            assertThat(log).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG \\[dev\\.");
        }
    }

    @Test
    void longFlagsWorkLikeTheShortOnes() throws Exception {
        try (ServerProcess server = ServerProcess.startLauncher(workDir, sqlite(), "--developer-mode", "--debug-mode")) {
            server.awaitHealthy(STARTUP);
            assertThat(awaitOutput(server, "<-- #\\d+ 200 GET /health")).contains("gpuproxyd in developer mode");
        }
    }

    @Test
    void withoutFlagsNothingIsLoggedPerRequestAndTheUiIsOff() throws Exception {
        try (ServerProcess server = ServerProcess.startLauncher(workDir, sqlite())) {
            server.awaitHealthy(STARTUP);
            register(server, "plain@example.test");
            HttpResponse<String> ui = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/q/swagger-ui/")));

            assertThat(ui.statusCode()).isEqualTo(404);
            assertThat(server.output()).doesNotContain("developer mode").doesNotContain("--> #").doesNotContain(" DEBUG ");
        }
    }

    @Test
    void environmentVariablesWorkLikeTheFlags() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(sqlite());
        env.put("DEBUG_MODE", "true");
        try (ServerProcess server = ServerProcess.startLauncher(workDir, env)) {
            server.awaitHealthy(STARTUP);
            assertThat(awaitOutput(server, "<-- #\\d+ 200 GET /health \\d+\\.\\d ms"))
                    .doesNotContain("gpuproxyd in developer mode");
        }
    }

    @Test
    void helpVersionAndUnknownFlags() throws Exception {
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("-dv, --developer-mode", "-dm, --debug-mode", "DEVELOPER_MODE=true",
                "DEBUG_MODE=true");

        Result version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.output()).matches("gpuproxyd \\d+\\.\\d+\\.\\d+.*\\n");

        Result wrong = run("--turbo");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.output()).contains("gpuproxyd: error: unknown option '--turbo'");
    }

    /** The server's output once it shows {@code pattern}: a response's line is written just after it is sent. */
    private static String awaitOutput(ServerProcess server, String pattern) throws InterruptedException {
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(pattern);
        for (int i = 0; i < 50 && !wanted.matcher(server.output()).find(); i++) {
            Thread.sleep(100);
        }
        return server.output();
    }

    private record Result(int exit, String output) {}

    private Result run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ServerProcess.launcher().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
