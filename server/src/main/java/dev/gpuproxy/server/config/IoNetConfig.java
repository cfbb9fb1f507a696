package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/** The io.net IO Cloud account (environment variables {@code IONET_*}); no API key = io.net is not offered. */
@ConfigMapping(prefix = "ionet")
public interface IoNetConfig {

    /** IONET_API_KEY: the account's API key (never logged); setting it enables io.net. */
    Optional<String> apiKey();

    /** IONET_API_URL: base URL of the IO Cloud API. */
    @WithDefault("https://api.io.solutions")
    String apiUrl();

    /** IONET_DURATION_HOURS: length of an io.net rental, which is bought for a fixed term (default 1). */
    @WithDefault("1")
    @Min(1)
    @Max(8760)
    int durationHours();

    /** IONET_WHITELIST: comma-separated CIDRs allowed to reach an io.net VM's published ports (default everyone). */
    @WithDefault("0.0.0.0/0")
    String whitelist();
}
