package dev.gpuproxy.server.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticGpuServersTest {

    @TempDir
    Path folder;

    private Path write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void yamlListIsReadWithExactPricesAndDefaultGpuCount() throws IOException {
        List<StaticGpuServer> servers = StaticGpuServers.load(write("gpus.yaml", """
                - name: a100-fra-1
                  url: http://10.0.0.5:8000/v1
                  gpu_model: A100
                  vram_gb: 80
                  price_per_hour: 1.10
                  location: Frankfurt, DE
                """));

        assertThat(servers).hasSize(1);
        StaticGpuServer server = servers.get(0);
        assertThat(server.pricePerHour()).isEqualTo("1.10");
        assertThat(server.gpus()).isEqualTo(1);
        assertThat(server.vramGb()).isEqualTo(80.0);
    }

    @Test
    void jsonFileIsReadAsJson() throws IOException {
        List<StaticGpuServer> servers = StaticGpuServers.load(write("gpus.json", """
                [{"name": "h100-1", "url": "https://gpu.example.com/v1", "gpu_model": "H100", "vram_gb": 80,
                  "price_per_hour": 2.5, "gpu_count": 8}]
                """));

        assertThat(servers.get(0).gpus()).isEqualTo(8);
        assertThat(servers.get(0).pricePerHour()).isEqualTo("2.5");
    }

    @Test
    void unusableFilesStopTheServerNamingTheEntry() throws IOException {
        assertThatThrownBy(() -> StaticGpuServers.load(folder.resolve("missing.yaml")))
                .hasMessageContaining("STATIC_GPUS_FILE").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> StaticGpuServers.load(write("dup.yaml", """
                - {name: a, url: http://h:1, gpu_model: A100, vram_gb: 80, price_per_hour: 1}
                - {name: a, url: http://h:2, gpu_model: A100, vram_gb: 80, price_per_hour: 1}
                """))).hasMessageContaining("entry 2 (a)").hasMessageContaining("used twice");
        assertThatThrownBy(() -> StaticGpuServers.load(write("url.yaml", """
                - {name: a, url: ftp://h, gpu_model: A100, vram_gb: 80, price_per_hour: 1}
                """))).hasMessageContaining("url must be an http(s) URL");
        assertThatThrownBy(() -> StaticGpuServers.load(write("typo.yaml", """
                - {name: a, url: http://h, gpu_modle: A100, vram_gb: 80, price_per_hour: 1}
                """))).hasMessageContaining("gpu_modle");
        assertThatThrownBy(() -> StaticGpuServers.load(write("price.yaml", """
                - {name: a, url: http://h, gpu_model: A100, vram_gb: 80, price_per_hour: -1}
                """))).hasMessageContaining("price_per_hour");
    }

    @Test
    void assignedServersAreNotOffered() {
        Set<String> assigned = new HashSet<>();
        StaticGpuProvider provider = new StaticGpuProvider(List.of(
                new StaticGpuServer("a", "http://10.0.0.5:8000/v1", "A100", 80.0, new java.math.BigDecimal("1.1"),
                        "Frankfurt, DE", null),
                new StaticGpuServer("b", "http://10.0.0.6:8000/v1", "L4", 24.0, new java.math.BigDecimal("0.35"),
                        "Oslo, NO", 2)), () -> assigned, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

        Instance instance = provider.launch("a", LaunchSpec.builder(null).build());
        assertThat(instance.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(instance.host()).isEqualTo("http://10.0.0.5:8000/v1");
        assertThat(instance.id()).startsWith("a@");
        assertThat(provider.get(instance.id())).isPresent();
        assigned.add("a");

        assertThat(provider.listOffers(OfferQuery.any())).extracting(Offer::id).containsExactly("b");
        assertThat(provider.listOffers(OfferQuery.builder().gpuModel("a100").build())).isEmpty();
        assertThatThrownBy(() -> provider.launch("zzz", LaunchSpec.builder(null).build()))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND));
        assertThat(provider.get("gone@12345678")).isEmpty();
    }
}
