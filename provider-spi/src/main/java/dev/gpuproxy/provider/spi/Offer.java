package dev.gpuproxy.provider.spi;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rentable GPU configuration as a marketplace lists it, in provider-neutral units (GB, US dollars per hour).
 * Numbers a provider does not publish are 0 (for example io.net has no reliability score).
 *
 * @param id            the provider's id for renting this offer; pass it to {@link GpuProvider#launch}
 * @param provider      id of the provider listing it, e.g. {@code vastai}
 * @param gpuName       GPU model as the provider names it, e.g. {@code RTX 4090}
 * @param gpuCount      number of GPUs in the offer
 * @param vramGb        memory of one GPU in GB
 * @param cpuCores      CPU cores that come with the offer
 * @param ramGb         system memory in GB
 * @param storageGb     disk available in GB
 * @param pricePerHour  price of the whole offer in US dollars per hour
 * @param location      where the machine is, e.g. {@code Oslo, NO}; may be null
 * @param reliability   the provider's reliability score between 0 and 1
 * @param dlperf        the provider's deep-learning performance score (vast.ai DLPerf)
 * @param available     whether it can be rented now
 * @param hostId        id of the physical host or operator, to spread a reservation over hosts; may be null
 * @param raw           the provider's own fields, unchanged, for display and debugging
 */
public record Offer(
        String id,
        String provider,
        String gpuName,
        int gpuCount,
        double vramGb,
        double cpuCores,
        double ramGb,
        double storageGb,
        BigDecimal pricePerHour,
        String location,
        double reliability,
        double dlperf,
        boolean available,
        String hostId,
        Map<String, Object> raw) {

    public Offer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(pricePerHour, "pricePerHour");
        // Provider JSON contains nulls, which Map.copyOf rejects; keep them, but read-only.
        raw = raw == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /** Total GPU memory of the offer in GB. */
    public double totalVramGb() {
        return vramGb * gpuCount;
    }

    /** DLPerf per dollar-hour, the value-for-money figure vast.ai users sort by; 0 when price or score is unknown. */
    public double dlperfPerDollar() {
        if (dlperf <= 0 || pricePerHour.signum() <= 0) {
            return 0;
        }
        return BigDecimal.valueOf(dlperf).divide(pricePerHour, MathContext.DECIMAL64).doubleValue();
    }
}
