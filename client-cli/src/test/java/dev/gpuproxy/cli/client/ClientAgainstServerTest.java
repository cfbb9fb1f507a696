package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.GpuproxyServer;
import dev.gpuproxy.cli.common.testing.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpuproxy-client's commands against a real gpuproxyd (the packaged server with SQLite and two static GPU servers),
 * run through the real Picocli command line: the documented tenant flows, usage errors, and a server that is down.
 */
class ClientAgainstServerTest {

    private static final String PASSWORD = "tenant-password-1";

    private static GpuproxyServer server;
    private static String adminKey;
    private static HttpServer upstream;
    private static final AtomicReference<String> upstreamBody = new AtomicReference<>();

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeAll
    static void startServer() throws IOException {
        server = GpuproxyServer.start();
        adminKey = server.adminKey();
        upstream = sseUpstream();
    }

    @AfterAll
    static void stopServer() {
        if (upstream != null) {
            upstream.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void tool() {
        cli = new CliRunner(ClientCommand::new, home).env("GPUPROXY_URL", server.baseUrl());
    }

    @Test
    void loginStoresAKeyThatWhoamiAndKeysListThenUse() throws IOException {
        String email = newUser("login", 0);

        Result login = cli.runWithStdin(PASSWORD + "\n", "login", email, "--key-name", "laptop");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.out()).contains("Logged in to " + server.baseUrl() + " as " + email + ".");
        String config = Files.readString(cli.configFile());
        assertThat(config).contains("api_key=gpx_").contains("server=" + server.baseUrl().replace(":", "\\:"));

        Result whoami = cli.run("whoami");
        assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).containsPattern("Email: +" + email).containsPattern("Role: +user");

        Result keys = cli.run("keys", "list");
        assertThat(keys.exitCode()).as(keys.toString()).isZero();
        assertThat(keys.out().lines().skip(1)).hasSize(1).allMatch(line -> line.contains("laptop"));
    }

    @Test
    void listShowsBothStaticServersCheapestFirstAndTheServerFilters() {
        useKeyOf(newUser("list", 0));

        Result all = cli.run("list");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).matches("PROVIDER +OFFER +GPU +GPUS +VRAM GB +USD/H +LOCATION +AVAILABLE");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).matches("static +box-4090 +RTX 4090 +1 +24 +0\\.40 +Austin, US +true");
        assertThat(lines.get(2)).matches("static +box-a100 +A100 +1 +80 +1\\.10 +Frankfurt, DE +true");

        Result big = cli.run("list", "static", "--min-vram", "40", "--max-price", "2");
        assertThat(big.exitCode()).as(big.toString()).isZero();
        assertThat(big.out().lines().skip(1)).singleElement().asString().contains("box-a100");

        Result json = cli.run("list", "--gpu", "rtx_4090", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode listing = json.json();
        assertThat(listing.path("total").asInt()).isEqualTo(1);
        assertThat(listing.path("offers").get(0).path("id").asText()).isEqualTo("box-4090");
        assertThat(listing.path("offers").get(0).path("vram_gb").asDouble()).isEqualTo(24.0);

        Result germany = cli.run("list", "--location", "DE", "--sort", "vram");
        assertThat(germany.out().lines().skip(1)).singleElement().asString().contains("Frankfurt, DE");
    }

    @Test
    void createInstancesDestroyRentAStaticServerAndReleaseIt() {
        String email = newUser("renter", 50);
        useKeyOf(email);

        Result create = cli.run("create", "static", "box-a100");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).containsPattern("Provider: +static").containsPattern("GPU: +A100")
                .containsPattern("State: +running").containsPattern("Endpoint: +http://10\\.0\\.0\\.5:8000/v1");
        assertThat(create.err()).contains("Release it with 'gpuproxy-client destroy static ");
        String instanceId = create.err().replaceAll("(?s).*destroy static (\\S+)'.*", "$1");
        boolean released = false;
        try {
            Result mine = cli.run("instances");
            assertThat(mine.exitCode()).as(mine.toString()).isZero();
            assertThat(mine.out().lines().toList()).hasSize(2);
            assertThat(mine.out().lines().skip(1).findFirst().orElseThrow())
                    .matches("\\d+ +static +" + java.util.regex.Pattern.quote(instanceId)
                            + " +A100 +1 +running +1\\.10? +http://10\\.0\\.0\\.5:8000/v1 +\\S+");

            Result taken = cli.run("list", "--format", "json");
            assertThat(taken.json().path("offers").findValuesAsText("id")).doesNotContain("box-a100");

            Result destroy = cli.run("destroy", "static", instanceId, "--format", "json");
            assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
            released = true;
            JsonNode instance = destroy.json();
            assertThat(instance.path("provider_instance_id").asText()).isEqualTo(instanceId);
            assertThat(instance.path("state").asText()).isIn("terminated", "stopped");
            assertThat(instance.path("ended_at").isNull()).isFalse();
        } finally {
            if (!released) {
                cli.run("destroy", "static", instanceId); // the other tests expect both servers free
            }
        }

        Result none = cli.run("instances");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("No instances.");
        Result history = cli.run("instances", "--all", "--format", "json");
        assertThat(history.json().path("count").asInt()).isEqualTo(1);
    }

    @Test
    void destroyingSomeoneElsesInstanceIsRefusedWithTheServersDetail() {
        useKeyOf(newUser("stranger", 0));

        Result result = cli.run("destroy", "static", "box-a100");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("gpuproxy-client: error: You have no instance box-a100 at provider static")
                .endsWith("(use --verbose for details)\n");
    }

    @Test
    void creditsAndLedgerShowAGrant() {
        useKeyOf(newUser("wallet", 30));

        Result credits = cli.run("credits");
        assertThat(credits.exitCode()).as(credits.toString()).isZero();
        assertThat(credits.out()).containsPattern("Available: +30\\.000000").containsPattern("Balance: +30\\.000000");

        Result ledger = cli.run("ledger");
        assertThat(ledger.exitCode()).as(ledger.toString()).isZero();
        List<String> lines = ledger.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +KIND +AMOUNT +BALANCE AFTER +REFERENCE +CREATED");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).matches("\\d+ +grant +30\\.000000 +30\\.000000 +welcome +\\S+");

        JsonNode json = cli.run("credits", "--format", "json").json();
        assertThat(json.path("credits_available").decimalValue()).isEqualByComparingTo("30");
    }

    @Test
    void transactionsAreEmptyAndPayWithAnUnconfiguredProcessorExitsThree() {
        useKeyOf(newUser("payer", 0));

        Result transactions = cli.run("transactions");
        assertThat(transactions.exitCode()).as(transactions.toString()).isZero();
        assertThat(transactions.err()).contains("No payments.");
        assertThat(cli.run("transactions", "--format", "json").json().path("total").asInt()).isZero();

        Result pay = cli.run("pay", "10", "--provider", "stripe");
        assertThat(pay.exitCode()).as(pay.toString()).isEqualTo(3);
        assertThat(pay.err()).contains("Payments through stripe are not configured on this server");
    }

    @Test
    void payRefusesAnUnknownProcessorAndACardNumberBeforeAnyRequest() {
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + Ports.closedPort()).env("GPUPROXY_API_KEY", "gpx_x_y");

        Result processor = cli.run("pay", "10", "--provider", "paypal");
        assertThat(processor.exitCode()).isEqualTo(2);
        assertThat(processor.err()).contains("--provider must be stripe, crypto or afterdark (got 'paypal')");

        Result card = cli.run("pay", "10", "--provider", "stripe", "--payment-method", "4242 4242 4242 4242");
        assertThat(card.exitCode()).isEqualTo(2);
        assertThat(card.err()).contains("card numbers are not accepted").doesNotContain("4242");
    }

    @Test
    void chatStreamsTheBackendsTokensAndModelsListsThePool() throws Exception {
        server.call("POST", "/api/v1/admin/pools", adminKey, "{\"name\":\"tiny-llm\"}");
        server.call("POST", "/api/v1/admin/backends", adminKey, "{\"pool\":\"tiny-llm\",\"kind\":\"openai\",\"url\":"
                + "\"http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1\"}");
        useKeyOf(newUser("chatter", 10));

        Result models = cli.run("models");
        for (int attempt = 0; attempt < 30 && !models.out().contains("tiny-llm"); attempt++) {
            Thread.sleep(200); // another replica's view refreshes every LB_REFRESH_INTERVAL
            models = cli.run("models");
        }
        assertThat(models.exitCode()).as(models.toString()).isZero();
        assertThat(models.out()).containsPattern("tiny-llm +gpuproxy");

        Result chat = cli.run("chat", "tiny-llm", "Say hello", "--system", "Be brief");
        assertThat(chat.exitCode()).as(chat.toString()).isZero();
        assertThat(chat.out()).isEqualTo("Hello from the stub!\n");
        JsonNode sent = dev.gpuproxy.cli.common.http.Json.MAPPER.readTree(upstreamBody.get());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("messages").findValuesAsText("content")).containsExactly("Be brief", "Say hello");

        Result json = cli.run("chat", "tiny-llm", "Say hello", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().path("content").asText()).isEqualTo("Hello from the stub!");
        assertThat(json.json().path("finish_reason").asText()).isEqualTo("stop");

        Result unknown = cli.run("chat", "no-such-model", "hi");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("The model 'no-such-model' does not exist");
    }

    @Test
    void badFlagsAreUsageErrorsWithoutARequest() {
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + Ports.closedPort()).env("GPUPROXY_API_KEY", "gpx_x_y");

        Result sort = cli.run("list", "--sort", "cheapest");
        assertThat(sort.exitCode()).isEqualTo(2);
        assertThat(sort.err()).contains("--sort must be one of price, vram, dlperf_per_dollar (got 'cheapest')")
                .contains("Try 'gpuproxy-client list --help'");

        Result vram = cli.run("list", "--min-vram", "lots");
        assertThat(vram.exitCode()).isEqualTo(2);

        Result missing = cli.run("create", "static");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter: '<offer-id>'");
    }

    @Test
    void aServerThatIsDownExitsThreeWithAClearMessage() {
        int closed = Ports.closedPort();
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + closed).env("GPUPROXY_API_KEY", "gpx_x_y");

        for (String[] command : List.of(new String[] {"list"}, new String[] {"credits"},
                new String[] {"chat", "tiny-llm", "hi"})) {
            Result result = cli.run(command);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).contains("cannot connect to the server at http://127.0.0.1:" + closed
                    + " (connection refused); is gpuproxyd running there?");
        }
    }

    /** A user with a welcome grant of {@code credits} (none when 0), created over the admin API. */
    private static String newUser(String name, int credits) {
        String email = name + "-" + System.nanoTime() + "@example.com";
        JsonNode created = server.call("POST", "/api/v1/admin/users", adminKey,
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"" + name + "\"}");
        long id = (created.has("user") ? created.get("user") : created).path("id").asLong();
        if (credits > 0) {
            server.call("POST", "/api/v1/admin/users/" + id + "/credits", adminKey,
                    "{\"amount\":" + credits + ",\"kind\":\"grant\",\"reason\":\"welcome\"}");
        }
        return email;
    }

    private void useKeyOf(String email) {
        cli.env("GPUPROXY_API_KEY", server.apiKey(email, PASSWORD));
    }

    @Test
    void proxyCallsARegisteredBackendThroughTheEnvelopeAndRefusesOtherTargets() throws Exception {
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1";
        server.call("POST", "/api/v1/admin/pools", adminKey, "{\"name\":\"proxied\"}");
        server.call("POST", "/api/v1/admin/backends", adminKey, "{\"pool\":\"proxied\",\"kind\":\"http\",\"url\":\""
                + base + "\"}");
        useKeyOf(newUser("proxier", 10));

        Result call = cli.run("proxy", "http", base + "/chat/completions", "--data",
                "{\"model\":\"tiny-llm\",\"stream\":true,\"messages\":[]}", "--header", "Content-Type: application/json");
        for (int attempt = 0; attempt < 30 && call.exitCode() != 0; attempt++) {
            Thread.sleep(200); // the new backend reaches this server's registry within LB_REFRESH_INTERVAL
            call = cli.run("proxy", "http", base + "/chat/completions", "--data",
                    "{\"model\":\"tiny-llm\",\"stream\":true,\"messages\":[]}", "--header", "Content-Type: application/json");
        }
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(call.out()).contains("data: ").contains("Hello").contains("[DONE]");

        Result unregistered = cli.run("proxy", "http", "http://127.0.0.1:" + Ports.closedPort() + "/x");
        assertThat(unregistered.exitCode()).as(unregistered.toString()).isNotZero();
        Result badProtocol = cli.run("proxy", "ftp", base);
        assertThat(badProtocol.exitCode()).isEqualTo(2);
    }

    /** An OpenAI-compatible backend that streams a fixed answer as Server-Sent Events. */
    private static HttpServer sseUpstream() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/v1/chat/completions", exchange -> {
            upstreamBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String token : new String[] {"Hello", " from", " the", " stub", "!"}) {
                    out.write(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-llm\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + token + "\"},"
                            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-llm\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5,\"total_tokens\":9}}\n\n"
                        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        http.start();
        return http;
    }
}
