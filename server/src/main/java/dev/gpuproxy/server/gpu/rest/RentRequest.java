package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.provider.spi.LaunchSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What to run on a rented offer; the whole body is optional. A static server ignores it (it runs what the operator
 * runs there); vast.ai needs an image; io.net VMs boot a stock image and only publish the ports.
 *
 * @param image  container image, e.g. {@code vllm/vllm-openai:latest}
 * @param env    environment variables for the container (stored by name only, never by value)
 * @param ports  container ports to publish; the first one becomes the instance's endpoint
 * @param diskGb disk in GB, or the provider's default
 * @param label  a name for the instance at the provider
 */
public record RentRequest(
        @JsonProperty("image") @Size(max = 300) String image,
        @JsonProperty("env") @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}",
                message = "must be an environment variable name") String, @NotNull @Size(max = 8192) String> env,
        @JsonProperty("ports") @Size(max = 32) List<@NotNull @Min(1) @Max(65535) Integer> ports,
        @JsonProperty("disk_gb") @Min(1) @Max(100_000) Integer diskGb,
        @JsonProperty("label") @Size(max = 64) String label) {

    LaunchSpec toLaunchSpec() {
        return new LaunchSpec(image, env, ports, diskGb, null, label, null, null);
    }

    static LaunchSpec orDefaults(RentRequest request) {
        return request == null ? new LaunchSpec(null, null, null, null, null, null, null, null) : request.toLaunchSpec();
    }
}
