package dev.gpuproxy.server.lb.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The BACKENDS_FILE format: {@code pools: [{name, strategy?, aliases?, backends: [{kind, url, ...}], autoscale?}]}
 * ({@link AutoscaleSpec} for the autoscale block).
 */
public final class BackendsFile {

    private BackendsFile() {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Document(List<PoolDecl> pools) {}

    public record PoolDecl(String name, String strategy, List<String> aliases, List<BackendDecl> backends,
                           AutoscaleSpec autoscale) {}

    public record BackendDecl(String kind, String url, Double weight,
                              @JsonProperty("api_keys") List<String> apiKeys,
                              @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
                              @JsonProperty("gpu_model") String gpuModel,
                              @JsonProperty("vram_gb") Integer vramGb,
                              @JsonProperty("price_per_hour") BigDecimal pricePerHour,
                              @JsonProperty("health_path") String healthPath) {}

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Document read(Path file) {
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
            Document document = yaml.readValue(Files.readString(file), Document.class);
            return document == null || document.pools() == null ? new Document(List.of()) : document;
        } catch (IOException e) {
            throw new IllegalArgumentException("BACKENDS_FILE " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
