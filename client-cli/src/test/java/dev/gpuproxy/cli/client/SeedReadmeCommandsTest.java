package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.GpuproxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed product's README (gpu-proxy-README.md), run as its users paste it, against the packaged gpuproxyd with
 * vast.ai and io.net stand-ins: the curl lines as the same HTTP requests curl sends (including the form Content-Type
 * of a bare {@code -d}), and the CLI lines with {@code ./bin/aiserve-gpuproxy-client} replaced by gpuproxy-client.
 */
class SeedReadmeCommandsTest {

    private static final String PASSWORD = "secure-password";

    private static MarketplaceStandIns markets;
    private static GpuproxyServer server;
    /** curl speaks HTTP/1.1 to an http:// URL. */
    private static final HttpClient curl = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeAll
    static void start() throws IOException {
        markets = new MarketplaceStandIns();
        server = GpuproxyServer.start(markets.environment());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (markets != null) {
            markets.close();
        }
    }

    @BeforeEach
    void tool() {
        cli = new CliRunner(ClientCommand::new, home).env("GPUPROXY_URL", server.baseUrl());
    }

    private record Answer(int status, String contentType, JsonNode json) {}

    /** One curl request: {@code headers} as -H gives them; {@code data} as -d sends it (form type unless -H says). */
    private static Answer curl(String method, String path, String data, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, data == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(data));
        boolean typed = false;
        for (String header : headers) {
            String[] parts = header.split(":\\s*", 2);
            request.header(parts[0], parts[1]);
            typed |= parts[0].equalsIgnoreCase("Content-Type");
        }
        if (data != null && !typed) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        try {
            HttpResponse<String> response = curl.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = response.body().isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A user with credits and an API key, made as the README's curl lines make them. */
    private static String registeredUserKey(String name, int credits) {
        String email = name + "-" + System.nanoTime() + "@example.com";
        Answer register = curl("POST", "/api/v1/auth/register", "{\n    \"email\": \"" + email + "\",\n"
                + "    \"password\": \"" + PASSWORD + "\",\n    \"name\": \"John Doe\"\n  }",
                "Content-Type: application/json");
        assertThat(register.status()).as(register.toString()).isEqualTo(201);
        Answer login = curl("POST", "/api/v1/auth/login", "{\n    \"email\": \"" + email + "\",\n    \"password\": \""
                + PASSWORD + "\"\n  }", "Content-Type: application/json");
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String jwt = login.json().path("tokens").path("access_token").asText();
        Answer key = curl("POST", "/api/v1/auth/apikey", "{\n    \"name\": \"My API Key\"\n  }",
                "Authorization: Bearer " + jwt, "Content-Type: application/json");
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        if (credits > 0) {
            String admin = server.adminKey();
            long id = login.json().path("user").path("id").asLong();
            server.call("POST", "/api/v1/admin/users/" + id + "/credits", admin,
                    "{\"amount\":" + credits + ",\"kind\":\"grant\",\"reason\":\"seed readme\"}");
        }
        return key.json().path("api_key").asText();
    }

    // --- "API Usage" ---------------------------------------------------------------------------------------

    @Test
    void theReadmesCurlLinesWorkAsWritten() {
        String key = registeredUserKey("curl", 50);

        Answer all = curl("GET", "/api/v1/gpu/instances", null, "X-API-Key: " + key);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().path("offers").findValuesAsText("provider")).contains("vastai", "ionet", "static");

        Answer vast = curl("GET", "/api/v1/gpu/instances?provider=vast.ai", null, "X-API-Key: " + key);
        assertThat(vast.status()).as(vast.toString()).isEqualTo(200);
        assertThat(vast.json().path("offers").findValuesAsText("provider")).isNotEmpty().containsOnly("vastai");

        Answer filtered = curl("GET", "/api/v1/gpu/instances?min_vram=16&max_price=1.5", null, "X-API-Key: " + key);
        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
        assertThat(filtered.json().path("offers").findValuesAsText("id")).contains("box-4090", "hw-12-loc-US-g1")
                .doesNotContain("hw-H100_sxm5x8-loc-CA-g8");
        assertThat(filtered.json().path("offers").findValuesAsText("provider")).contains("vastai");

        Answer created = curl("POST", "/api/v1/gpu/instances/vast.ai/12345",
                "{\"image\": \"nvidia/cuda:12.0.0-base-ubuntu22.04\"}", "X-API-Key: " + key,
                "Content-Type: application/json");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("provider").asText()).isEqualTo("vastai");
        assertThat(markets.rentals.get("12345").path("image").asText()).isEqualTo("nvidia/cuda:12.0.0-base-ubuntu22.04");
        // The seed destroys "12345" again, but vast.ai's instance (contract) id is a new number: the one just created.
        String contract = created.json().path("provider_instance_id").asText();

        Answer destroyed = curl("DELETE", "/api/v1/gpu/instances/vast.ai/" + contract, null, "X-API-Key: " + key);
        assertThat(destroyed.status()).as(destroyed.toString()).isEqualTo(200);
        assertThat(destroyed.json().path("state").asText()).isEqualTo("terminated");
        assertThat(markets.destroyed).contains(contract);
        Answer offerIdIsNoInstance = curl("DELETE", "/api/v1/gpu/instances/vast.ai/12345", null, "X-API-Key: " + key);
        assertThat(offerIdIsNoInstance.status()).isEqualTo(404);
        assertThat(offerIdIsNoInstance.json().path("detail").asText())
                .isEqualTo("You have no instance 12345 at provider vastai");

        // "Set Strategy / Via API": curl -X PUT -d '...' sends a form Content-Type.
        Answer strategy = curl("PUT", "/api/v1/loadbalancer/strategy", "{\"strategy\": \"least_connections\"}",
                "X-API-Key: " + key);
        assertThat(strategy.status()).as(strategy.toString()).isEqualTo(200);
        assertThat(strategy.json().path("strategy").asText()).isEqualTo("least_connections");

        Answer transactions = curl("GET", "/api/v1/billing/transactions", null, "X-API-Key: " + key);
        assertThat(transactions.status()).as(transactions.toString()).isEqualTo(200);

        Answer health = curl("GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        assertThat(health.json().hasNonNull("timestamp")).isTrue();
    }

    // --- "CLI Client" and "Load Balancing" -------------------------------------------------------------------

    @Test
    void theReadmesClientLinesWorkAsWritten() {
        String key = registeredUserKey("cli", 50);

        Result list = cli.run("-key", key, "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("vastai").contains("ionet").contains("static");

        Result vast = cli.run("-key", key, "list", "vast.ai");
        assertThat(vast.exitCode()).as(vast.toString()).isZero();
        assertThat(vast.out().lines().skip(1)).isNotEmpty().allMatch(line -> line.startsWith("vastai "));

        Result io = cli.run("-key", key, "list", "io.net");
        assertThat(io.exitCode()).as(io.toString()).isZero();
        assertThat(io.out().lines().skip(1)).hasSize(2).allMatch(line -> line.startsWith("ionet "));

        Result create = cli.run("-key", key, "create", "vast.ai", "12345");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).containsPattern("Provider: +vastai");
        assertThat(markets.rentals.get("12345").path("image").asText()).isEqualTo("vllm/vllm-openai:latest");

        String contract = create.err().replaceAll("(?s).*destroy vastai (\\S+)'.*", "$1");
        Result destroy = cli.run("-key", key, "destroy", "vast.ai", contract);
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).containsPattern("State: +terminated");

        Result debug = cli.run("-key", key, "-dv", "-dm", "list");
        assertThat(debug.exitCode()).as(debug.toString()).isZero();
        assertThat(debug.err()).doesNotContain(key);

        Result proxy = cli.run("-key", key, "proxy", "https", "https://api.example.com");
        assertThat(proxy.exitCode()).as("an unregistered target is refused, never fetched: " + proxy).isEqualTo(1);
        assertThat(proxy.err()).startsWith("gpuproxy-client: error: ");

        Result strategy = cli.run("-key", key, "lb-strategy", "least_connections");
        assertThat(strategy.exitCode()).as(strategy.toString()).isZero();

        Result loadServer = cli.run("-key", key, "load", "server");
        assertThat(loadServer.exitCode()).as(loadServer.toString()).isZero();
        Result loadProvider = cli.run("-key", key, "load", "provider");
        assertThat(loadProvider.exitCode()).as(loadProvider.toString()).isZero();
        Result load = cli.run("-key", key, "load");
        assertThat(load.exitCode()).as(load.toString()).isZero();

        Result reserve = cli.run("-key", key, "reserve", "16");
        try {
            assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
        } finally {
            releaseAll(key);
        }
    }

    // --- the same commands, looked at closely ----------------------------------------------------------------

    @Test
    void listAcceptsTheSeedsProviderIdsAndShowsTheCanonicalOne() {
        cli.env("GPUPROXY_API_KEY", registeredUserKey("lister", 0));

        JsonNode vast = cli.run("list", "vast.ai", "--format", "json").json();
        assertThat(vast.path("total").asInt()).isBetween(1, MarketplaceStandIns.VAST_OFFERS);
        assertThat(vast.path("offers").findValuesAsText("provider")).containsOnly("vastai");
        JsonNode io = cli.run("list", "io.net", "--format", "json").json();
        assertThat(io.path("offers").findValuesAsText("id"))
                .containsExactly("hw-12-loc-US-g1", "hw-H100_sxm5x8-loc-CA-g8");

        Result unknown = cli.run("list", "lambda.ai");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("provider must be one of the enabled providers: ionet, static, vastai");
    }

    @Test
    void createWithoutFlagsRunsTheDefaultImageAndDestroyReleasesIt() {
        cli.env("GPUPROXY_API_KEY", registeredUserKey("creator", 20));
        int refusedBefore = markets.refusedWithoutImage.size();

        Result create = cli.run("create", "vast.ai", "12346", "--format", "json");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.json().path("provider").asText()).isEqualTo("vastai");
        String contract = create.json().path("provider_instance_id").asText();
        assertThat(contract).isNotEqualTo("12346");
        JsonNode rental = markets.rentals.get("12346");
        assertThat(rental.path("image").asText()).isEqualTo("vllm/vllm-openai:latest");
        assertThat(rental.path("env").has("-p 8000:8000")).isTrue();
        assertThat(markets.refusedWithoutImage).hasSize(refusedBefore);

        Result destroy = cli.run("destroy", "vast.ai", contract, "--format", "json");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.json().path("state").asText()).isEqualTo("terminated");
        assertThat(markets.destroyed).contains(contract);
        assertThat(cli.run("instances", "--format", "json").json().path("count").asInt()).isZero();
    }

    @Test
    void reserveSixteenWithoutFlagsLaunchesSixteenGpusWithTheDefaultImage() {
        String key = registeredUserKey("reserver", 100);
        cli.env("GPUPROXY_API_KEY", key);
        int acceptedBefore = markets.accepted.size();

        Result reserve = cli.run("reserve", "16", "--format", "json");
        try {
            assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
            JsonNode reservation = reserve.json();
            assertThat(reservation.path("count").asInt()).isEqualTo(16);
            assertThat(reservation.path("requested").asInt()).isEqualTo(16);
            List<JsonNode> launched = markets.accepted.subList(acceptedBefore, markets.accepted.size());
            assertThat(launched).hasSizeGreaterThanOrEqualTo(14) // the two static servers may take two of the slots
                    .allMatch(body -> body.path("image").asText().equals("vllm/vllm-openai:latest"));

            Result loadServer = cli.run("load", "server", "--format", "json");
            assertThat(loadServer.exitCode()).as(loadServer.toString()).isZero();
            assertThat(loadServer.json().path("gpus").findValuesAsText("source")
                    .stream().filter("instance"::equals)).hasSize(16);
            Result table = cli.run("load", "server");
            assertThat(table.out().lines().findFirst().orElseThrow())
                    .matches("SOURCE +INSTANCE +PROVIDER +GPU +STATE +ENDPOINT +POOL +IN FLIGHT +REQUESTS +ERRORS +LATENCY MS");
        } finally {
            releaseAll(key);
        }
    }

    @Test
    void loadProviderShowsEveryProvidersMarketAndHealth() {
        cli.env("GPUPROXY_API_KEY", registeredUserKey("watcher", 0));

        Result json = cli.run("load", "provider", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode providers = json.json().path("providers");
        assertThat(providers.findValuesAsText("provider")).containsExactly("ionet", "static", "vastai");
        assertThat(providers.findValuesAsText("status")).containsOnly("ok");
        JsonNode ionet = providers.get(0);
        assertThat(ionet.path("offers").asInt()).isEqualTo(2);
        assertThat(ionet.path("cheapest").findValuesAsText("gpu_model")).containsExactly("GeForce RTX 4090",
                "H100 80GB HBM3");
        assertThat(ionet.path("cheapest").get(1).path("price_per_gpu_hour").decimalValue())
                .isEqualByComparingTo("2.49");

        Result table = cli.run("load", "provider");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("PROVIDER +STATUS +OFFERS +AVAILABLE +CHEAPEST \\(USD/GPU/H\\)");
        assertThat(lines).anyMatch(line -> line.matches("ionet +ok +2 +2 +GeForce RTX 4090 0\\.32, H100 80GB HBM3 2\\.49"));
        assertThat(lines).anyMatch(line -> line.matches("static +ok +2 +2 +RTX 4090 0\\.40, A100 1\\.10"));
    }

    @Test
    void loadWithAnUnknownViewIsAUsageError() {
        cli.env("GPUPROXY_API_KEY", "gpx_x_y");

        Result wrong = cli.run("load", "servers");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("expected all, server, provider, pool <name> or instance <id>");
        assertThat(cli.run("load", "server", "extra").exitCode()).isEqualTo(2);
    }

    private void releaseAll(String key) {
        JsonNode reservations = cli.env("GPUPROXY_API_KEY", key).run("reservations", "--format", "json").json();
        for (JsonNode r : reservations.path("data")) {
            if (!r.path("state").asText().equals("released")) {
                cli.run("release", r.path("reservation_id").asText());
            }
        }
        JsonNode instances = cli.run("instances", "--format", "json").json();
        for (JsonNode i : instances.path("instances")) {
            cli.run("destroy", i.path("provider").asText(), i.path("provider_instance_id").asText());
        }
    }
}
