package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, installed with Node 22 by
 * {@code .ci/mcp-conformance} into {@code .cache/mcp-conformance}) against the MCP SDK's reference Streamable HTTP
 * server, once direct and once through {@code /mcp/{pool}}: every scenario that passes direct must pass through the
 * gateway. Without npm the test fails and says so; it never skips.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class McpConformanceTest {

    private static final Pattern SCENARIO = Pattern.compile("^([✓✗]) ([\\w-]+): (\\d+) passed, (\\d+) failed",
            Pattern.MULTILINE);

    @Inject
    CreditService credits;

    @Test
    void everyScenarioThatPassesDirectPassesThroughTheGateway() throws Exception {
        Path root = checkoutRoot();
        Process install = new ProcessBuilder("bash", root.resolve(".ci/mcp-conformance").toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        String installLog = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0)
                .as("The MCP conformance suite and Node 22 could not be installed by .ci/mcp-conformance (it needs"
                        + " npm and the npm registry):\n" + installLog).isTrue();
        Path modules = root.resolve(".cache/mcp-conformance/node_modules");
        Path node = modules.resolve("node/bin/node");
        assertThat(Files.isExecutable(node)).as("Node 22 missing at " + node).isTrue();

        int port = freePort();
        ProcessBuilder reference = new ProcessBuilder(node.toString(),
                modules.resolve("@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        reference.environment().put("MCP_PORT", String.valueOf(port));
        reference.environment().put("MCP_AUTH_PORT", String.valueOf(freePort()));
        Process server = reference.start();
        try {
            awaitListening(port, server);
            String direct = "http://127.0.0.1:" + port + "/mcp";
            Map<String, Boolean> directResults = run(node, modules, direct, null);

            Api.Account admin = Api.admin();
            Api.Account tenant = Api.registerAndLogin("conformance");
            // The suite sends a few hundred requests a minute; the default per-user limit would answer some with 429.
            admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 100_000))
                    .patch("/api/v1/admin/users/" + tenant.id()).then().statusCode(200);
            String key = Api.createApiKey(tenant, "suite");
            credits.add(tenant.id(), CreditService.Kind.GRANT, 100 * Credits.MICROS_PER_CREDIT, "test",
                    "t:" + UUID.randomUUID());
            String pool = "conformance-" + UUID.randomUUID().toString().substring(0, 8);
            admin.asUser().contentType(ContentType.JSON).body(Map.of("name", pool, "strategy", "round_robin"))
                    .post("/api/v1/admin/pools").then().statusCode(201);
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", pool, "kind", "mcp", "url", direct))
                    .post("/api/v1/admin/backends").then().statusCode(201);
            Map<String, Boolean> gatewayResults = run(node, modules,
                    "http://127.0.0.1:" + RestAssured.port + "/mcp/" + pool, key);

            System.out.println("MCP conformance, direct: " + directResults);
            System.out.println("MCP conformance, through the gateway: " + gatewayResults);
            Map<String, Boolean> passedDirect = new TreeMap<>(directResults);
            passedDirect.values().removeIf(passed -> !passed);
            // The reference server passes the core scenarios (initialize, ping, tools, streams, DNS rebinding).
            assertThat(passedDirect).as("scenarios passed direct: " + directResults).hasSizeGreaterThanOrEqualTo(10);
            for (String scenario : passedDirect.keySet()) {
                assertThat(gatewayResults.get(scenario))
                        .as("scenario " + scenario + " passes direct but not through the gateway; direct: "
                                + directResults + ", through the gateway: " + gatewayResults).isTrue();
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs the whole active suite against {@code url}; scenario name to passed. {@code apiKey} null = direct. */
    private static Map<String, Boolean> run(Path node, Path modules, String url, String apiKey) throws Exception {
        Path out = Files.createTempDirectory("mcp-conformance");
        Path conformance = modules.resolve("@modelcontextprotocol/conformance");
        ProcessBuilder suite = apiKey == null
                ? new ProcessBuilder(node.toString(), conformance.resolve("dist/index.js").toString(), "server",
                        "--url", url, "-o", out.toString())
                : new ProcessBuilder(node.toString(), "--import", preload().toUri().toString(),
                        conformance.resolve("dist/index.js").toString(), "server", "--url", url, "-o", out.toString());
        if (apiKey != null) {
            suite.environment().put("GPUPROXY_API_KEY", apiKey);
            suite.environment().put("CONFORMANCE_PACKAGE_JSON", conformance.resolve("package.json").toString());
        }
        Process process = suite.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the conformance suite did not finish").isTrue();
        Map<String, Boolean> results = new TreeMap<>();
        Matcher matcher = SCENARIO.matcher(output);
        while (matcher.find()) {
            results.put(matcher.group(2), matcher.group(1).equals("✓"));
        }
        assertThat(results).as("no scenario results in the suite's output:\n" + output).isNotEmpty();
        if (apiKey != null) {
            // What failed through the gateway, with the suite's own account of why.
            try (var dirs = Files.list(out)) {
                dirs.filter(dir -> results.entrySet().stream().anyMatch(e -> !e.getValue()
                                && dir.getFileName().toString().startsWith("server-" + e.getKey() + "-20")))
                        .forEach(dir -> {
                            try {
                                System.out.println(dir.getFileName() + ": "
                                        + Files.readString(dir.resolve("checks.json")));
                            } catch (IOException e) {
                                System.out.println(dir.getFileName() + ": no checks.json");
                            }
                        });
            }
        }
        return results;
    }

    private static Path preload() throws IOException {
        Path file = Files.createTempFile("authorize", ".mjs");
        try (var in = McpConformanceTest.class.getResourceAsStream("/mcp-conformance/authorize.mjs")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static void awaitListening(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("the reference MCP server exited").isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the reference MCP server did not listen on port " + port + " within 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The checkout's root: the first folder upwards that holds {@code .ci/mcp-conformance}. */
    private static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".ci/mcp-conformance"))) {
                return dir;
            }
        }
        throw new AssertionError(".ci/mcp-conformance not found above " + Path.of("").toAbsolutePath());
    }
}
