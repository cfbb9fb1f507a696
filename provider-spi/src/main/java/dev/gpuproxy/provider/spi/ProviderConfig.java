package dev.gpuproxy.provider.spi;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a provider's plain configuration map, so every adapter understands the common keys the same way
 * and reports a missing or unreadable value by key name (never by value, which may be a secret).
 */
public final class ProviderConfig {

    /** The account's API key; required by the marketplace adapters. */
    public static final String API_KEY = "api_key";
    /** Base URL of the provider's API; each adapter has a default. */
    public static final String API_URL = "api_url";
    /** How long one HTTP request may take: ISO-8601 ({@code PT30S}) or seconds ({@code 30}, {@code 2.5}). */
    public static final String TIMEOUT = "timeout";
    /** Timeout used when {@link #TIMEOUT} is not set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String provider;
    private final Map<String, String> values;

    private ProviderConfig(String provider, Map<String, String> values) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.values = values == null ? Map.of() : values;
    }

    public static ProviderConfig of(String provider, Map<String, String> values) {
        return new ProviderConfig(provider, values);
    }

    /** Whether the key has a non-blank value. */
    public boolean has(String key) {
        return get(key).isPresent();
    }

    /** The trimmed value, empty when missing or blank. */
    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value of a key the provider cannot work without. */
    public String require(String key) {
        return get(key).orElseThrow(() -> invalid(key, "is required"));
    }

    /** {@link #API_URL} or {@code defaultUrl}, without a trailing slash so paths can be appended. */
    public URI apiUrl(String defaultUrl) {
        String url = get(API_URL).orElse(defaultUrl);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid(API_URL, "must be an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(API_URL, "must be an http(s) URL");
        }
    }

    /** {@link #TIMEOUT}, or {@link #DEFAULT_TIMEOUT}. */
    public Duration timeout() {
        return get(TIMEOUT).map(value -> parseDuration(TIMEOUT, value)).orElse(DEFAULT_TIMEOUT);
    }

    /** A positive whole number, or {@code defaultValue} when unset. */
    public int positiveInt(String key, int defaultValue) {
        Optional<String> value = get(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < 1) {
                throw invalid(key, "must be a positive whole number");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a positive whole number");
        }
    }

    private Duration parseDuration(String key, String value) {
        Duration duration;
        try {
            duration = value.regionMatches(true, 0, "P", 0, 1)
                    ? Duration.parse(value)
                    : Duration.ofMillis(new BigDecimal(value).movePointRight(3).longValueExact());
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw invalid(key, "must be ISO-8601 like PT30S or a number of seconds");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw invalid(key, "must be positive");
        }
        return duration;
    }

    private IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(provider + ": configuration key " + key + " " + problem);
    }
}
