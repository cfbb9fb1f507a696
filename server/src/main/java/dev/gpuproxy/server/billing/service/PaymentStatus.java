package dev.gpuproxy.server.billing.service;

import java.util.Locale;

/** Where a payment stands. Only {@code SUCCEEDED} has been credited; refunds and disputes take credits back. */
public enum PaymentStatus {
    PENDING, SUCCEEDED, FAILED, REFUNDED, DISPUTED, CANCELED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
