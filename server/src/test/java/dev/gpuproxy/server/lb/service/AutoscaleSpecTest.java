package dev.gpuproxy.server.lb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code autoscale} block of BACKENDS_FILE: read, defaulted and checked as a whole. */
class AutoscaleSpecTest {

    @TempDir
    Path folder;

    private BackendsFile.Document read(String yaml) throws Exception {
        Path file = folder.resolve("backends.yaml");
        Files.writeString(file, yaml);
        return BackendsFile.read(file);
    }

    @Test
    void readsTheIssuesExampleWithItsUnits() throws Exception {
        AutoscaleSpec spec = read("""
                pools:
                  - name: llama-3-8b
                    strategy: least_response_time
                    autoscale:
                      provider: vastai
                      min: 0
                      max: 8
                      target_in_flight: 4
                      idle_release: 10m
                      cold_start_timeout: 90s
                      offer: {gpu_model: RTX_4090, min_vram: 24, max_price: 0.6}
                      launch: {image: vllm/vllm-openai:latest, port: 8000, args: "--model x", env: {A: b}}
                      readiness_path: /v1/models
                """).pools().get(0).autoscale().validated("test");

        assertThat(spec.provider()).containsExactly("vastai");
        assertThat(spec.maxGpus()).isEqualTo(8);
        assertThat(spec.targetInFlightPerGpu()).isEqualTo(4);
        assertThat(spec.idleReleaseAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.coldStartLimit()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.cooldownPeriod()).as("default").isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.offer().maxPrice()).isEqualByComparingTo(new BigDecimal("0.6"));
        assertThat(spec.launch().env()).isEqualTo(Map.of("A", "b"));
        assertThat(spec.readiness()).isEqualTo("/v1/models");
    }

    @Test
    void acceptsAListOfProviders() throws Exception {
        AutoscaleSpec spec = read("""
                pools:
                  - name: p
                    autoscale: {provider: [vastai, ionet], max: 2, launch: {image: img}}
                """).pools().get(0).autoscale().validated("test");
        assertThat(spec.provider()).isEqualTo(List.of("vastai", "ionet"));
    }

    @Test
    void refusesDeclarationsThatCannotWork() {
        AutoscaleSpec noProvider = new AutoscaleSpec(null, 0, 2, null, null, null, null, null, null,
                new AutoscaleSpec.LaunchDecl("img", null, null, null), null);
        assertThatThrownBy(() -> noProvider.validated("pool p")).hasMessageContaining("pool p: autoscale needs a provider");

        AutoscaleSpec minOverMax = new AutoscaleSpec(List.of("vastai"), 3, 2, null, null, null, null, null, null,
                new AutoscaleSpec.LaunchDecl("img", null, null, null), null);
        assertThatThrownBy(() -> minOverMax.validated("pool p")).hasMessageContaining("min <= max");

        AutoscaleSpec noImage = new AutoscaleSpec(List.of("vastai"), 0, 2, null, null, null, null, null, null, null,
                null);
        assertThatThrownBy(() -> noImage.validated("pool p")).hasMessageContaining("launch.image");

        AutoscaleSpec badDuration = new AutoscaleSpec(List.of("vastai"), 0, 2, null, "ten minutes", null, null, null,
                null, new AutoscaleSpec.LaunchDecl("img", null, null, null), null);
        assertThatThrownBy(() -> badDuration.validated("pool p")).hasMessageContaining("not a duration");
    }

    @Test
    void anUnknownKeyInTheBlockIsAnError() {
        assertThatThrownBy(() -> read("""
                pools:
                  - name: p
                    autoscale: {provider: vastai, maximum: 2, launch: {image: img}}
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum");
    }
}
