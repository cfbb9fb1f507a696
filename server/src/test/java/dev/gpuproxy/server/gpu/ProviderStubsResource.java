package dev.gpuproxy.server.gpu;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Points gpuproxyd at its GPU providers for a test run: two operator servers in a STATIC_GPUS_FILE and, unless the
 * init argument {@code marketplaces} is {@code false}, vast.ai and io.net stand-ins ({@link ProviderStubs}).
 */
public class ProviderStubsResource implements QuarkusTestResourceLifecycleManager {

    /** The operator's servers every GPU test profile declares. */
    static final String STATIC_GPUS = """
            # the operator's own GPU servers
            - name: a100-fra-1
              url: http://10.0.0.5:8000/v1
              gpu_model: A100
              vram_gb: 80
              price_per_hour: 1.10
              location: Frankfurt, DE
            - name: l4-osl-1
              url: http://10.0.0.6:8000/v1
              gpu_model: L4
              vram_gb: 24
              price_per_hour: 0.35
              location: Oslo, NO
              gpu_count: 2
            """;

    private boolean marketplaces = true;
    private ProviderStubs stubs;
    private Path folder;

    @Override
    public void init(Map<String, String> initArgs) {
        marketplaces = !"false".equals(initArgs.get("marketplaces"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        try {
            folder = Files.createTempDirectory("gpuproxy-gpus");
            Path file = folder.resolve("gpus.yaml");
            Files.writeString(file, STATIC_GPUS);
            config.put("gpu.static-gpus-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (marketplaces) {
            stubs = new ProviderStubs(server(), server());
            config.put("vastai.api-key", ProviderStubs.VAST_KEY);
            config.put("vastai.api-url", "http://127.0.0.1:" + stubs.vast().port());
            config.put("ionet.api-key", ProviderStubs.IONET_KEY);
            config.put("ionet.api-url", "http://127.0.0.1:" + stubs.ionet().port());
        }
        config.put("gpu.api-timeout", "5s");
        config.put("gpu.offers-timeout", "1500ms");
        return config;
    }

    private static WireMockServer server() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    @Override
    public void inject(TestInjector testInjector) {
        if (stubs != null) {
            testInjector.injectIntoFields(stubs,
                    new TestInjector.AnnotatedAndMatchesType(InjectProviderStubs.class, ProviderStubs.class));
        }
    }

    @Override
    public void stop() {
        if (stubs != null) {
            stubs.vast().stop();
            stubs.ionet().stop();
        }
        if (folder != null) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // A leftover temp folder is harmless.
            }
        }
    }
}
