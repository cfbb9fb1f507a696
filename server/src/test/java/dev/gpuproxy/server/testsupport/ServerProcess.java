package dev.gpuproxy.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged gpuproxyd (quarkus-run.jar) started as a real process with a given environment. */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    private ServerProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts the jar named by the {@code gpuproxyd.jar} system property (set by the failsafe configuration). */
    public static ServerProcess start(Path workDir, Map<String, String> environment) {
        String jar = System.getProperty("gpuproxyd.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("gpuproxyd.jar system property must point at the packaged server: " + jar);
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Path output = workDir.resolve("gpuproxyd.log");
        builder.redirectOutput(output.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        try {
            return new ServerProcess(builder.start(), output, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the packaged server through the repository's {@code bin/gpuproxyd} launcher with the given flags, as an
     * operator does (the launcher sits two folders above the jar's {@code quarkus-app}).
     */
    public static ServerProcess startLauncher(Path workDir, Map<String, String> environment, String... flags) {
        Path launcher = launcher();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Path output = workDir.resolve("gpuproxyd.log");
        builder.redirectOutput(output.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("GPUPROXYD_JAVA_OPTS", "-Xmx256m");
        builder.environment().putAll(environment);
        try {
            return new ServerProcess(builder.start(), output, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bin/gpuproxyd} of the checkout whose server jar {@code gpuproxyd.jar} names. */
    public static Path launcher() {
        String jar = System.getProperty("gpuproxyd.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("gpuproxyd.jar system property must point at the packaged server: " + jar);
        }
        // <root>/server/target/quarkus-app/quarkus-run.jar -> <root>/bin/gpuproxyd
        return Path.of(jar).toAbsolutePath().getParent().getParent().getParent().getParent().resolve("bin/gpuproxyd");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Polls GET /health until it answers 200; returns its body. */
    public String awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gpuproxyd exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gpuproxyd did not become healthy within " + timeout + ":\n" + output());
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("gpuproxyd still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as an orchestrator stopping the replica sends it; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the replica dies without any shutdown work, like a crashed host. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
