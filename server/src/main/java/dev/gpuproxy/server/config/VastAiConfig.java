package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The vast.ai account (environment variables {@code VASTAI_*}); no API key = vast.ai is not offered. */
@ConfigMapping(prefix = "vastai")
public interface VastAiConfig {

    /** VASTAI_API_KEY: the account's API key (never logged); setting it enables vast.ai. */
    Optional<String> apiKey();

    /** VASTAI_API_URL: base URL of the vast.ai API. */
    @WithDefault("https://console.vast.ai")
    String apiUrl();
}
