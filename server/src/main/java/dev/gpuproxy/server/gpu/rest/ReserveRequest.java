package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/gpu/instances/reserve}: how many GPUs, which offers qualify, what to run on them.
 *
 * @param model          optional model name the tenant's inference requests use to reach these instances
 * @param allOrNothing   default true: any launch that fails after retries releases the others
 */
public record ReserveRequest(
        @NotNull @Min(1) @Max(16) Integer count,
        @Valid Filters filters,
        @Size(max = 300) String image,
        @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}",
                message = "must be an environment variable name") String, @NotNull @Size(max = 8192) String> env,
        @Size(max = 32) List<@NotNull @Min(1) @Max(65535) Integer> ports,
        @JsonProperty("disk_gb") @Min(1) @Max(100_000) Integer diskGb,
        @Size(max = 32) String strategy,
        @JsonProperty("duration_minutes") @Positive @Max(525_600) Integer durationMinutes,
        @JsonProperty("all_or_nothing") Boolean allOrNothing,
        @Size(max = 200) String model) {

    public record Filters(
            @JsonProperty("min_vram") @PositiveOrZero Double minVram,
            @JsonProperty("max_price") @DecimalMin("0") BigDecimal maxPrice,
            @JsonProperty("gpu_model") @Size(max = 100) String gpuModel,
            @Size(max = 100) String location,
            @Size(max = 10) List<@NotNull @Size(max = 32) String> providers) {}
}
