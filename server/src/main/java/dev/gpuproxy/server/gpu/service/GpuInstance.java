package dev.gpuproxy.server.gpu.service;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's rented GPU machine as the API shows it.
 *
 * @param id                 gpuproxy's id of the rental
 * @param provider           provider id, e.g. {@code vastai}
 * @param providerInstanceId the provider's id of the machine, used in the instance's URL
 * @param offerId            the offer it was rented from
 * @param gpuModel           GPU model, or null when unknown
 * @param gpuCount           number of GPUs
 * @param vramGb             memory of one GPU in GB, or null when unknown
 * @param state              pending, loading, running, stopped, failed or terminated
 * @param pricePerHour       US dollars per hour
 * @param endpoint           where to reach it ({@code host:port} or the static server's URL), or null until known
 * @param createdAt          when it was rented
 * @param endedAt            when it was released or found gone, or null while live
 */
public record GpuInstance(
        long id,
        String provider,
        String providerInstanceId,
        String offerId,
        String gpuModel,
        int gpuCount,
        Integer vramGb,
        String state,
        BigDecimal pricePerHour,
        String endpoint,
        Instant createdAt,
        Instant endedAt) {
}
