package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.error.ApiException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The payment processors, by their API names ({@code X-Billing} and the body's {@code provider}). */
public enum PaymentProvider {
    STRIPE, CRYPTO, AFTERDARK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a name case-insensitively; 400 naming the accepted values otherwise. */
    public static PaymentProvider parse(String value, String field) {
        for (PaymentProvider provider : values()) {
            if (provider.id().equalsIgnoreCase(value.trim())) {
                return provider;
            }
        }
        throw ApiException.badRequest(field + " must be one of "
                + Arrays.stream(values()).map(PaymentProvider::id).collect(Collectors.joining(", ")));
    }
}
