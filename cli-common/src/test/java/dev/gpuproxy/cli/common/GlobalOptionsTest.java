package dev.gpuproxy.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalOptionsTest {

    @TempDir
    Path home;

    @Test
    void serverComesFromTheFlagThenTheEnvironmentThenTheConfigFileThenTheDefault() {
        CliConfig config = config("http://127.0.0.1:7000", "gpx_cfg_1");
        GlobalOptions options = new GlobalOptions();

        assertThat(options.server(environment(Map.of()), CliConfig.load(home.resolve("none"))))
                .isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.server(environment(Map.of()), config)).isEqualTo(URI.create("http://127.0.0.1:7000"));
        assertThat(options.server(environment(Map.of("GPUPROXY_URL", "http://127.0.0.1:7001/")), config))
                .isEqualTo(URI.create("http://127.0.0.1:7001"));
        options.server = "https://gpu.example.com//";
        assertThat(options.server(environment(Map.of("GPUPROXY_URL", "http://127.0.0.1:7001")), config))
                .isEqualTo(URI.create("https://gpu.example.com"));
    }

    @Test
    void storedKeyIsSentOnlyToTheServerItWasStoredFor() {
        CliConfig config = config("http://127.0.0.1:7000/", "gpx_cfg_1");
        GlobalOptions options = new GlobalOptions();
        CliEnvironment environment = environment(Map.of());

        assertThat(options.apiKey(environment, config, URI.create("http://127.0.0.1:7000"))).contains("gpx_cfg_1");
        assertThat(options.apiKey(environment, config, URI.create("http://127.0.0.1:7999"))).isEmpty();
    }

    @Test
    void keyFromTheFlagOrTheEnvironmentWinsOverTheConfigFile() {
        CliConfig config = config("http://127.0.0.1:7000", "gpx_cfg_1");
        GlobalOptions options = new GlobalOptions();
        URI server = URI.create("http://127.0.0.1:7000");

        assertThat(options.apiKey(environment(Map.of("GPUPROXY_API_KEY", "gpx_env_2")), config, server))
                .contains("gpx_env_2");
        options.apiKey = "gpx_flag_3";
        assertThat(options.apiKey(environment(Map.of("GPUPROXY_API_KEY", "gpx_env_2")), config, server))
                .contains("gpx_flag_3");
    }

    @Test
    void aServerThatIsNotAnHttpUrlIsAUsageError() {
        assertThatThrownBy(() -> GlobalOptions.parseServer("localhost:8080"))
                .isInstanceOfSatisfying(CliException.class,
                        error -> assertThat(error.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("http:// or https://").hasMessageContaining("localhost:8080");
    }

    private CliConfig config(String server, String key) {
        Path file = home.resolve("config.properties");
        CliConfig.load(file).saveLogin(server, key);
        return CliConfig.load(file);
    }

    private CliEnvironment environment(Map<String, String> variables) {
        return new CliEnvironment(variables, new ByteArrayInputStream(new byte[0]), null,
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), home);
    }
}
