package dev.gpuproxy.server.common.money;

import dev.gpuproxy.server.common.error.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Credit amounts are whole micro-credits ({@code long}, 1 credit = 1,000,000): exact on PostgreSQL and SQLite alike,
 * never floating point. The API shows them as decimal numbers with six places.
 */
public final class Credits {

    public static final int SCALE = 6;
    public static final long MICROS_PER_CREDIT = 1_000_000L;
    /** The largest single amount accepted from a caller: a trillion credits. */
    public static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1_000_000_000_000L);

    private Credits() {
    }

    public static BigDecimal toDecimal(long micros) {
        return BigDecimal.valueOf(micros, SCALE);
    }

    /**
     * Parses a caller's amount: a number with at most six decimals, not above {@link #MAX_AMOUNT}.
     *
     * @param field the JSON field name, for the error message
     * @throws ApiException 400 naming the field
     */
    public static long parse(BigDecimal amount, String field) {
        if (amount == null) {
            throw ApiException.badRequest(field + " is required");
        }
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw ApiException.badRequest(field + " has more than " + SCALE + " decimal places");
        }
        if (amount.abs().compareTo(MAX_AMOUNT) > 0) {
            throw ApiException.badRequest(field + " is larger than " + MAX_AMOUNT.toPlainString());
        }
        return amount.movePointRight(SCALE).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }

    /** {@link #parse} for amounts that must be above zero. */
    public static long parsePositive(BigDecimal amount, String field) {
        long micros = parse(amount, field);
        if (micros <= 0) {
            throw ApiException.badRequest(field + " must be greater than zero");
        }
        return micros;
    }
}
