package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.server.common.error.ApiException;
import io.quarkus.logging.Log;
import java.util.Map;

/**
 * Turns a provider's failure into the problem the tenant sees: their own mistakes (an offer gone, a request the
 * provider rejects) as 4xx with the provider's message, the operator's or the provider's trouble as 5xx.
 */
public final class ProviderProblems {

    private ProviderProblems() {
    }

    /**
     * @param e     what the provider reported
     * @param doing what was attempted, for the detail, e.g. {@code "Renting offer 123 of vastai"}
     */
    public static ApiException toApi(ProviderException e, String doing) {
        String message = doing + " failed: " + e.getMessage();
        Map<String, Object> provider = Map.of("provider", e.provider());
        return switch (e.kind()) {
            case GONE -> new ApiException(409, "offer_unavailable", message, provider, Map.of());
            case NOT_FOUND -> new ApiException(404, "not_found", message, provider, Map.of());
            case INVALID_REQUEST -> new ApiException(400, "provider_rejected", message, provider, Map.of());
            case UNSUPPORTED -> new ApiException(400, "unsupported", message, provider, Map.of());
            case UNAUTHORIZED -> {
                Log.warnf("The %s account's credentials were refused: %s", e.provider(), e.getMessage());
                yield new ApiException(502, "provider_auth_failed", doing + " failed: the operator's " + e.provider()
                        + " account was refused by the provider", provider, Map.of());
            }
            case RATE_LIMITED -> new ApiException(503, "provider_rate_limited", message, provider,
                    Map.of("Retry-After", "10"));
            case UNAVAILABLE -> new ApiException(503, "provider_unavailable", message, provider,
                    Map.of("Retry-After", "30"));
            case TIMEOUT -> new ApiException(504, "provider_timeout", message, provider, Map.of());
            case MALFORMED_RESPONSE -> new ApiException(502, "provider_bad_response", message, provider, Map.of());
        };
    }
}
