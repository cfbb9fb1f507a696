package dev.gpuproxy.lb;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an operator declared about a backend (from the admin API, BACKENDS_FILE or the environment). Two specs that are
 * equal describe the same endpoint, so a refresh keeps its live {@link Backend} state.
 *
 * @param source {@code api}, {@code file}, {@code env} or {@code instance}
 */
public record BackendSpec(long id, String kind, String url, List<String> apiKeys, Double weight, Integer rateLimitRpm,
                          String gpuModel, Integer vramGb, BigDecimal pricePerHour, String healthPath, Long instanceId,
                          String source) {

    public BackendSpec {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /** The configured weight, else the product's default from GPU memory and price. */
    public double effectiveWeight() {
        return weight != null && weight > 0 ? weight : Weights.fromHardware(vramGb, pricePerHour);
    }
}
