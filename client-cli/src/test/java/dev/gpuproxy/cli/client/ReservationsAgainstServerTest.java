package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.GpuproxyServer;
import dev.gpuproxy.cli.common.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reserve, reservations, release, load and lb-strategy against a real gpuproxyd whose two static GPU servers are
 * what gets reserved (a server of its own, since a reservation holds both of them).
 */
class ReservationsAgainstServerTest {

    private static final String PASSWORD = "tenant-password-1";

    private static GpuproxyServer server;
    private static String adminKey;

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeAll
    static void startServer() {
        server = GpuproxyServer.start();
        adminKey = server.adminKey();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void tool() {
        cli = new CliRunner(ClientCommand::new, home).env("GPUPROXY_URL", server.baseUrl());
    }

    @Test
    void reserveBothStaticServersThenSeeTheirLoadSetTheStrategyAndRelease() {
        cli.env("GPUPROXY_API_KEY", tenantWithCredits("reserver", 50));

        Result reserve = cli.run("reserve", "2", "--provider", "static", "--model", "my-llama");
        assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
        assertThat(reserve.out()).containsPattern("State: +active").containsPattern("GPUs: +2 of 2")
                .containsPattern("Model: +my-llama");
        List<String> lines = reserve.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("INSTANCE")).findFirst()
                .orElseThrow());
        assertThat(lines.get(header)).matches("INSTANCE +PROVIDER +CONTRACT +GPU +VRAM GB +USD/H +STATE +ENDPOINT");
        assertThat(lines.subList(header + 1, lines.size())).hasSize(2)
                .anyMatch(line -> line.matches("\\d+ +static +box-a100@\\S+ +A100 +80 +1\\.10? +running"
                        + " +http://10\\.0\\.0\\.5:8000/v1"))
                .anyMatch(line -> line.matches("\\d+ +static +box-4090@\\S+ +RTX 4090 +24 +0\\.40? +running"
                        + " +http://10\\.0\\.0\\.6:8000/v1"));
        String id = reserve.err().replaceAll("(?s).*'gpuproxy-client release (\\d+)'.*", "$1");
        assertThat(id).matches("\\d+");

        try {
            Result list = cli.run("reservations");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out().lines().toList()).hasSize(2);
            assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
                    .matches(id + " +active +2/2 +round_robin +\\S+ +\\S+ +-");

            JsonNode one = cli.run("reservations", id, "--format", "json").json();
            assertThat(one.path("reserved").findValuesAsText("provider")).containsExactly("static", "static");
            String pool = one.path("pool").asText();

            Result load = cli.run("load");
            assertThat(load.exitCode()).as(load.toString()).isZero();
            assertThat(load.out().lines().filter(line -> line.contains(pool))).hasSize(2);
            JsonNode loads = cli.run("load", "pool", pool, "--format", "json").json();
            assertThat(loads.path("count").asInt()).isEqualTo(2);
            assertThat(loads.path("loads").findValuesAsText("url"))
                    .containsExactlyInAnyOrder("http://10.0.0.5:8000/v1", "http://10.0.0.6:8000/v1");

            Result strategy = cli.run("lb-strategy", "least_connections", "--pool", pool);
            assertThat(strategy.exitCode()).as(strategy.toString()).isZero();
            assertThat(strategy.out()).containsPattern("Strategy: +least_connections");
            assertThat(cli.run("lb-strategy", "--pool", pool, "--format", "json").json().path("strategy").asText())
                    .isEqualTo("least_connections");
        } finally {
            Result release = cli.run("release", id, "--format", "json");
            assertThat(release.exitCode()).as(release.toString()).isZero();
            assertThat(release.json().path("state").asText()).isEqualTo("released");
            assertThat(release.json().hasNonNull("released_at")).isTrue();
        }
        assertThat(cli.run("reservations", "--format", "json").json().path("data").get(0).path("state").asText())
                .isEqualTo("released");
    }

    @Test
    void reservingMoreGpusThanThereAreIsRefusedAndHoldsNothing() {
        cli.env("GPUPROXY_API_KEY", tenantWithCredits("greedy", 50));

        Result result = cli.run("reserve", "3", "--provider", "static");

        assertThat(result.exitCode()).as(result.toString()).isIn(1, 3);
        assertThat(result.err()).startsWith("gpuproxy-client: error: ");
        assertThat(cli.run("instances", "--format", "json").json().path("count").asInt()).isZero();
    }

    @Test
    void anAdminSetsTheDefaultStrategy() {
        cli.env("GPUPROXY_API_KEY", adminKey);

        Result set = cli.run("lb-strategy", "least_response_time");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).containsPattern("Strategy: +least_response_time").containsPattern("Scope: +global");

        JsonNode shown = cli.run("lb-strategy", "--format", "json").json();
        assertThat(shown.path("strategy").asText()).isEqualTo("least_response_time");
        cli.run("lb-strategy", "round_robin");
    }

    @Test
    void reserveSeventeenIsAUsageErrorBeforeAnyRequest() {
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + Ports.closedPort()).env("GPUPROXY_API_KEY", "gpx_x_y");

        Result seventeen = cli.run("reserve", "17");
        assertThat(seventeen.exitCode()).isEqualTo(2);
        assertThat(seventeen.err()).startsWith("gpuproxy-client: error: <count> must be between 1 and 16 GPUs (got 17)")
                .contains("Try 'gpuproxy-client reserve --help'");
        assertThat(seventeen.out()).isEmpty();

        assertThat(cli.run("reserve", "0").exitCode()).isEqualTo(2);
        assertThat(cli.run("reserve", "2", "--strategy", "fastest").err())
                .contains("--strategy must be one of round_robin, equal_weighted");
        assertThat(cli.run("reserve", "2", "--duration", "soon").exitCode()).isEqualTo(2);
        assertThat(cli.run("lb-strategy", "random").exitCode()).isEqualTo(2);
        assertThat(cli.run("load", "everything").exitCode()).isEqualTo(2);
    }

    @Test
    void aServerThatIsDownExitsThree() {
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + Ports.closedPort()).env("GPUPROXY_API_KEY", "gpx_x_y");

        for (String[] command : List.of(new String[] {"reserve", "16"}, new String[] {"reservations"},
                new String[] {"load"}, new String[] {"lb-strategy"})) {
            Result result = cli.run(command);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
            assertThat(result.err()).contains("(connection refused); is gpuproxyd running there?");
        }
    }

    private static String tenantWithCredits(String name, int credits) {
        String email = name + "-" + System.nanoTime() + "@example.com";
        JsonNode created = server.call("POST", "/api/v1/admin/users", adminKey,
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"" + name + "\"}");
        long id = (created.has("user") ? created.get("user") : created).path("id").asLong();
        server.call("POST", "/api/v1/admin/users/" + id + "/credits", adminKey,
                "{\"amount\":" + credits + ",\"kind\":\"grant\",\"reason\":\"welcome\"}");
        return server.apiKey(email, PASSWORD);
    }
}
