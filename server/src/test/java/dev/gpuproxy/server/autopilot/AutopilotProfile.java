package dev.gpuproxy.server.autopilot;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL, the vast.ai stand-in as the only marketplace, and a BACKENDS_FILE with one autoscaled pool; every
 * interval short (polls and probes every 200 ms, GPUs idle for 2 s released) so scaling happens within seconds.
 */
public class AutopilotProfile extends PostgresProfile {

    static final String POOL = "llama-auto";

    /** Five RTX 4090 offers, one of them over the pool's max_price of 0.60 $/h. */
    static final VastStandIn VAST = new VastStandIn(List.of(
            new VastStandIn.Ask(501, new BigDecimal("0.42")),
            new VastStandIn.Ask(502, new BigDecimal("0.31")),
            new VastStandIn.Ask(503, new BigDecimal("0.55")),
            new VastStandIn.Ask(504, new BigDecimal("0.90")),
            new VastStandIn.Ask(505, new BigDecimal("0.38"))));

    static final String BACKENDS = """
            pools:
              - name: %s
                strategy: least_connections
                autoscale:
                  provider: vastai
                  min: 0
                  max: 3
                  target_in_flight: 2
                  idle_release: 2s
                  cold_start_timeout: 20s
                  cooldown: 300ms
                  max_waiting: 50
                  offer: {gpu_model: RTX_4090, min_vram: 20, max_price: 0.6}
                  launch: {image: "vllm/vllm-openai:latest", port: 8000, args: "--model llama", env: {HF_TOKEN: hf-test}}
                  readiness_path: /v1/models
            """.formatted(POOL);

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resources.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return withBase(Map.ofEntries(
                Map.entry("gpu.poll-interval", "200ms"),
                Map.entry("gpu.api-timeout", "5s"),
                Map.entry("autopilot.interval", "200ms"),
                Map.entry("autopilot.check-interval", "200ms"),
                Map.entry("autopilot.probe-timeout", "1s"),
                Map.entry("lb.health-interval", "off"),
                Map.entry("lb.refresh-interval", "1s")));
    }

    public static class Resources implements QuarkusTestResourceLifecycleManager {
        private final PostgresResource postgres = new PostgresResource();
        private Path folder;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(postgres.start());
            try {
                folder = Files.createTempDirectory("gpuproxy-autopilot");
                Path file = folder.resolve("backends.yaml");
                Files.writeString(file, BACKENDS);
                config.put("lb.backends-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("vastai.api-key", "vk-test-autopilot-77");
            config.put("vastai.api-url", VAST.url());
            return config;
        }

        @Override
        public void stop() {
            VAST.reset();
            postgres.stop();
            try {
                if (folder != null) {
                    Files.deleteIfExists(folder.resolve("backends.yaml"));
                    Files.deleteIfExists(folder);
                }
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
