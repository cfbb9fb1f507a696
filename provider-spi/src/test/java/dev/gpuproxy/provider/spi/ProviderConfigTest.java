package dev.gpuproxy.provider.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    @Test
    void timeoutAcceptsIsoDurationsAndPlainSeconds() {
        assertEquals(Duration.ofSeconds(45), ProviderConfig.of("p", Map.of("timeout", "PT45S")).timeout());
        assertEquals(Duration.ofSeconds(20), ProviderConfig.of("p", Map.of("timeout", "20")).timeout());
        assertEquals(Duration.ofMillis(2500), ProviderConfig.of("p", Map.of("timeout", "2.5")).timeout());
        assertEquals(ProviderConfig.DEFAULT_TIMEOUT, ProviderConfig.of("p", Map.of()).timeout());
    }

    @Test
    void unreadableTimeoutNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProviderConfig.of("p", Map.of("timeout", "soon")).timeout());
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.of("p", Map.of("timeout", "0")).timeout());
    }

    @Test
    void missingRequiredKeyIsReportedByNameAndBlankCountsAsMissing() {
        ProviderConfig config = ProviderConfig.of("vastai", Map.of("api_key", "  "));

        assertFalse(config.has("api_key"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.require("api_key"));
        assertEquals("vastai: configuration key api_key is required", e.getMessage());
    }

    @Test
    void apiUrlFallsBackToDefaultAndDropsTrailingSlash() {
        assertEquals(URI.create("https://console.vast.ai"),
                ProviderConfig.of("p", Map.of()).apiUrl("https://console.vast.ai/"));
        assertEquals(URI.create("http://127.0.0.1:8080"),
                ProviderConfig.of("p", Map.of("api_url", "http://127.0.0.1:8080/")).apiUrl("https://x"));
        assertThrows(IllegalArgumentException.class,
                () -> ProviderConfig.of("p", Map.of("api_url", "ftp://x")).apiUrl("https://x"));
    }

    @Test
    void positiveIntRejectsZeroAndText() {
        assertEquals(7, ProviderConfig.of("p", Map.of("n", "7")).positiveInt("n", 1));
        assertEquals(1, ProviderConfig.of("p", Map.of()).positiveInt("n", 1));
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.of("p", Map.of("n", "0")).positiveInt("n", 1));
        assertThrows(IllegalArgumentException.class, () -> ProviderConfig.of("p", Map.of("n", "x")).positiveInt("n", 1));
    }
}
