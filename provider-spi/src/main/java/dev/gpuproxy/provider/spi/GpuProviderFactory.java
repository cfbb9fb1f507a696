package dev.gpuproxy.provider.spi;

import java.util.Map;
import java.util.Set;

/**
 * Entry point of an adapter module, found through {@link java.util.ServiceLoader}: it names the provider and
 * builds it from plain configuration. Register implementations in
 * {@code META-INF/services/dev.gpuproxy.provider.spi.GpuProviderFactory}.
 */
public interface GpuProviderFactory {

    /** Unique provider id, lower case, used in URLs and configuration, e.g. {@code vastai}. */
    String id();

    /**
     * Other names users know the provider by, such as its domain ({@code vast.ai}); accepted wherever a provider is
     * named, while answers keep {@link #id()}. Compared case-insensitively.
     */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * Builds a provider. Common keys are in {@link ProviderConfig}: {@code api_key}, {@code api_url},
     * {@code timeout} (ISO-8601 such as {@code PT30S}, or seconds); adapters document their own extra keys.
     *
     * @throws IllegalArgumentException when a required key is missing or a value cannot be read
     */
    GpuProvider create(Map<String, String> config);

    /** Whether {@code config} holds enough to enable this provider; by default, an API key. */
    default boolean isConfigured(Map<String, String> config) {
        return ProviderConfig.of(id(), config).has(ProviderConfig.API_KEY);
    }
}
