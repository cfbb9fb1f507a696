package dev.gpuproxy.server.gpu.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * One of the operator's own GPU servers, as declared in STATIC_GPUS_FILE.
 *
 * @param name         unique name, also the offer id ({@code [A-Za-z0-9._-]}, up to 100 characters)
 * @param url          where tenants reach it once it is assigned to them, e.g. {@code http://10.0.0.5:8000/v1}
 * @param gpuModel     GPU model, e.g. {@code A100}
 * @param vramGb       memory of one GPU in GB
 * @param pricePerHour US dollars per hour charged to the tenant it is assigned to
 * @param location     where it is, e.g. {@code Frankfurt, DE}; optional
 * @param gpuCount     number of GPUs; optional, default 1
 */
public record StaticGpuServer(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("vram_gb") Double vramGb,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("location") String location,
        @JsonProperty("gpu_count") Integer gpuCount) {

    /** GPUs in the server, 1 when the file does not say. */
    public int gpus() {
        return gpuCount == null ? 1 : gpuCount;
    }
}
