package dev.gpuproxy.server.gpu.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices are stored as integer millionths of a US dollar per hour (SQLite would turn decimals into floating point);
 * these convert exactly, rounding a provider's longer fractions half up to the millionth.
 */
public final class PriceMicros {

    private static final int SCALE = 6;

    private PriceMicros() {
    }

    public static long of(BigDecimal dollars) {
        return dollars.setScale(SCALE, RoundingMode.HALF_UP).movePointRight(SCALE).longValueExact();
    }

    /** Dollars without trailing zeros and never in exponent notation, so JSON shows {@code 1.1}, not {@code 1.100000}. */
    public static BigDecimal toDollars(long micros) {
        BigDecimal dollars = BigDecimal.valueOf(micros, SCALE).stripTrailingZeros();
        return dollars.scale() < 0 ? dollars.setScale(0) : dollars;
    }
}
