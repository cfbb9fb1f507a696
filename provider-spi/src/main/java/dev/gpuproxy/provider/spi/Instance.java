package dev.gpuproxy.provider.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A rented machine as a provider reports it at one moment: its state, its public address and its price.
 * Fields the provider has not reported yet (an address before the machine runs) are null or empty.
 *
 * @param id            the provider's instance id, used for get/destroy/stop/start/extend
 * @param provider      id of the provider, e.g. {@code vastai}
 * @param offerId       the offer it was rented from, or null when the provider does not say
 * @param state         provider-neutral life-cycle state
 * @param gpuName       GPU model, or null
 * @param gpuCount      number of GPUs (0 when not reported)
 * @param pricePerHour  US dollars per hour, or null when not reported
 * @param host          public IP address or host name, or null while none is assigned
 * @param portMap       container port to public port on {@code host}
 * @param startedAt     when the rental started, or null
 * @param statusMessage the provider's latest status text, or null
 */
public record Instance(
        String id,
        String provider,
        String offerId,
        InstanceState state,
        String gpuName,
        int gpuCount,
        BigDecimal pricePerHour,
        String host,
        Map<Integer, Integer> portMap,
        Instant startedAt,
        String statusMessage) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(state, "state");
        portMap = portMap == null ? Map.of() : Map.copyOf(portMap);
    }

    /** {@code host:publicPort} for a container port, once the provider has published it. */
    public Optional<String> endpoint(int containerPort) {
        Integer publicPort = portMap.get(containerPort);
        if (host == null || publicPort == null) {
            return Optional.empty();
        }
        return Optional.of(host + ":" + publicPort);
    }
}
