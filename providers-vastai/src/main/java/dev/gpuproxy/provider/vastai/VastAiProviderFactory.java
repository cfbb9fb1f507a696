package dev.gpuproxy.provider.vastai;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.GpuProviderFactory;
import dev.gpuproxy.provider.spi.ProviderConfig;
import dev.gpuproxy.provider.support.ProviderHttp;
import dev.gpuproxy.provider.support.RetryPolicy;
import java.util.Map;
import java.util.Set;

/**
 * Builds the vast.ai adapter from configuration: {@code api_key} (required), {@code api_url}
 * (default {@value #DEFAULT_URL}) and {@code timeout}.
 */
public final class VastAiProviderFactory implements GpuProviderFactory {

    public static final String ID = "vastai";
    public static final String DEFAULT_URL = "https://console.vast.ai";

    @Override
    public String id() {
        return ID;
    }

    /** The marketplace's own name, as the seed product and its users write it. */
    @Override
    public Set<String> aliases() {
        return Set.of("vast.ai");
    }

    @Override
    public GpuProvider create(Map<String, String> config) {
        return create(config, RetryPolicy.DEFAULT);
    }

    /** As {@link #create(Map)}, with the retry policy replaceable so tests need not wait long. */
    VastAiProvider create(Map<String, String> config, RetryPolicy retryPolicy) {
        ProviderConfig settings = ProviderConfig.of(ID, config);
        String apiKey = settings.require(ProviderConfig.API_KEY);
        ProviderHttp http = ProviderHttp.builder(ID, settings.apiUrl(DEFAULT_URL))
                .timeout(settings.timeout())
                .secretHeader("Authorization", "Bearer " + apiKey, apiKey)
                .errorMessages(VastErrors::message)
                .retryPolicy(retryPolicy)
                .build();
        return new VastAiProvider(http);
    }
}
