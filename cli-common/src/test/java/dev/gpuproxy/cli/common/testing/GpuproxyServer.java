package dev.gpuproxy.cli.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real gpuproxyd for CLI tests: the packaged server ({@code server/target/quarkus-app/quarkus-run.jar}, built
 * earlier in the reactor) started as a process on a free loopback port, with a SQLite file and two static GPU
 * servers in a temporary folder and a first admin account. Start one per test class ({@code @BeforeAll}) and
 * {@link #close()} it afterwards; the folder goes with it.
 *
 * <p>The jar is found at {@code ../server/target/quarkus-app/quarkus-run.jar} from the module being tested, or at
 * the system property {@code gpuproxy.server.jar}. A missing jar fails the test: these tests prove the tools
 * against the real server, so they must not pass without one.
 */
public final class GpuproxyServer implements AutoCloseable {

    public static final String ADMIN_EMAIL = "root@example.com";
    public static final String ADMIN_PASSWORD = "root-password-123";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    /** The operator's own GPU servers that the {@code static} provider offers. */
    public static final String STATIC_GPUS = """
            - name: box-a100
              url: http://10.0.0.5:8000/v1
              gpu_model: A100
              vram_gb: 80
              price_per_hour: 1.10
              location: Frankfurt, DE
            - name: box-4090
              url: http://10.0.0.6:8000/v1
              gpu_model: RTX 4090
              vram_gb: 24
              price_per_hour: 0.40
              location: Austin, US
            """;

    private final Process process;
    private final Path folder;
    private final Path log;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GpuproxyServer(Process process, Path folder, Path log, String baseUrl) {
        this.process = process;
        this.folder = folder;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /** Starts the server and waits until {@code /health} answers 200. */
    public static GpuproxyServer start() {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with more environment variables (set last, so they win), e.g. {@code VASTAI_API_URL} of a
     * marketplace stand-in.
     */
    public static GpuproxyServer start(Map<String, String> extraEnvironment) {
        Path jar = Path.of(System.getProperty("gpuproxy.server.jar", "../server/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged server " + jar + " is missing; build it first with "
                    + "'mvn -pl server -am install -DskipTests' (the reactor builds it before the CLI modules)");
        }
        try {
            Path folder = Files.createTempDirectory("gpuproxyd-cli-test");
            Path gpus = Files.writeString(folder.resolve("static-gpus.yaml"), STATIC_GPUS);
            Path log = folder.resolve("gpuproxyd.log");
            int port = Ports.closedPort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                    jar.toString())
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("REDIS_")
                    || name.startsWith("GPUPROXY_") || name.endsWith("_API_KEY") || name.endsWith("_API_KEYS"));
            env.put("SERVER_HOST", "127.0.0.1");
            env.put("PORT", String.valueOf(port));
            env.put("DB_TYPE", "sqlite");
            env.put("DB_PATH", folder.resolve("gpuproxy.db").toString());
            env.put("ADMIN_EMAIL", ADMIN_EMAIL);
            env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
            env.put("BCRYPT_COST", "4");
            env.put("JWT_SECRET", "cli-test-secret-0123456789abcdef0123456789abcdef");
            env.put("STATIC_GPUS_FILE", gpus.toString());
            env.put("LB_REFRESH_INTERVAL", "1s");
            // The tests' backends listen on loopback, which the proxy envelope refuses unless allow-listed.
            env.put("PROXY_ALLOWED_CIDRS", "127.0.0.1/32");
            env.putAll(extraEnvironment);
            GpuproxyServer server = new GpuproxyServer(builder.start(), folder, log, "http://127.0.0.1:" + port);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("gpuproxyd could not be started", e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Logs in over REST and creates an API key, as {@code gpuproxy-client login} does. */
    public String apiKey(String email, String password) {
        JsonNode login = call("POST", "/api/v1/auth/login", null,
                "{\"email\":" + quote(email) + ",\"password\":" + quote(password) + "}");
        String token = login.path("tokens").path("access_token").asText();
        return call("POST", "/api/v1/auth/apikey", "Bearer " + token, "{\"name\":\"cli-test\"}")
                .path("api_key").asText();
    }

    /** An API key of the first admin. */
    public String adminKey() {
        return apiKey(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** One authenticated JSON request (for setting up what a test is not about); fails on an error status. */
    public JsonNode call(String method, String path, String authorization, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization.startsWith("Bearer ") ? authorization
                    : "Bearer " + authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = log();
                close();
                throw new IllegalStateException("gpuproxyd exited with " + process.exitValue() + " at start:\n"
                        + output);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String output = log();
        close();
        throw new IllegalStateException("gpuproxyd did not become healthy within " + STARTUP.toSeconds() + " s:\n"
                + output);
    }

    private static String quote(String value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (gracefully, then forcibly) and deletes its folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
