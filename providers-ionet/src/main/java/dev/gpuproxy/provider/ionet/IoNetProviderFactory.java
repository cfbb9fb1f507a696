package dev.gpuproxy.provider.ionet;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.GpuProviderFactory;
import dev.gpuproxy.provider.spi.ProviderConfig;
import dev.gpuproxy.provider.support.ProviderHttp;
import dev.gpuproxy.provider.support.RetryPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the io.net IO Cloud adapter from configuration: {@code api_key} (required), {@code api_url}
 * (default {@value #DEFAULT_URL}), {@code timeout}, {@code duration_hours} (rental length when the launch spec
 * gives none, default 1) and {@code whitelist} (comma-separated CIDRs allowed to reach published ports,
 * default {@code 0.0.0.0/0}).
 */
public final class IoNetProviderFactory implements GpuProviderFactory {

    public static final String ID = "ionet";
    public static final String DEFAULT_URL = "https://api.io.solutions";
    public static final String DURATION_HOURS = "duration_hours";
    public static final String WHITELIST = "whitelist";

    @Override
    public String id() {
        return ID;
    }

    /** The marketplace's own name, as the seed product and its users write it. */
    @Override
    public Set<String> aliases() {
        return Set.of("io.net");
    }

    @Override
    public GpuProvider create(Map<String, String> config) {
        return create(config, RetryPolicy.DEFAULT);
    }

    /** As {@link #create(Map)}, with the retry policy replaceable so tests need not wait long. */
    IoNetProvider create(Map<String, String> config, RetryPolicy retryPolicy) {
        ProviderConfig settings = ProviderConfig.of(ID, config);
        String apiKey = settings.require(ProviderConfig.API_KEY);
        ProviderHttp http = ProviderHttp.builder(ID, settings.apiUrl(DEFAULT_URL))
                .timeout(settings.timeout())
                .secretHeader("x-api-key", apiKey, apiKey)
                .errorMessages(IoNetErrors::message)
                .retryPolicy(retryPolicy)
                .build();
        List<String> whitelist = Arrays.stream(settings.get(WHITELIST).orElse("0.0.0.0/0").split(","))
                .map(String::strip)
                .filter(cidr -> !cidr.isEmpty())
                .toList();
        return new IoNetProvider(http, settings.positiveInt(DURATION_HOURS, 1), whitelist);
    }
}
