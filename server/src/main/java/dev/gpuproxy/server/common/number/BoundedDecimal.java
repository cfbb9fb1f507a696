package dev.gpuproxy.server.common.number;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The bounds every decimal from outside (request bodies, query parameters) must fit before any arithmetic touches it.
 * A value such as {@code 1e300000000} is a few bytes of JSON, but rescaling, stripping zeros or printing it as plain
 * text makes {@link BigDecimal} build a 300-million-digit {@link java.math.BigInteger}: a thread busy for minutes.
 * Checking precision and scale is cheap (they are stored), so the check runs first.
 */
public final class BoundedDecimal {

    /** Digits before the decimal point: far above any amount of money or price, far below anything costly. */
    public static final int MAX_INTEGER_DIGITS = 30;
    /** Digits after the decimal point (18 would be enough for wei; a little room for exact decimal input). */
    public static final int MAX_FRACTION_DIGITS = 30;
    /** Characters of a decimal given as text; longer text is refused before it is parsed. */
    public static final int MAX_TEXT = 100;

    private BoundedDecimal() {
    }

    /** Why {@code value} is out of bounds, or empty when it fits. */
    public static Optional<String> problem(BigDecimal value) {
        // precision() - scale() is the count of digits before the point; long arithmetic so no scale can overflow.
        long integerDigits = (long) value.precision() - value.scale();
        long fractionDigits = Math.max(0, value.scale());
        if (integerDigits > MAX_INTEGER_DIGITS || fractionDigits > MAX_FRACTION_DIGITS) {
            return Optional.of("must have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point and "
                    + MAX_FRACTION_DIGITS + " after it (got " + shown(value) + ")");
        }
        return Optional.empty();
    }

    /**
     * Checks a decimal that came from outside.
     *
     * @throws DecimalOutOfRange naming {@code field} when it is out of bounds
     */
    public static BigDecimal check(String field, BigDecimal value) {
        if (value == null) {
            return null;
        }
        Optional<String> problem = problem(value);
        if (problem.isPresent()) {
            throw new DecimalOutOfRange(field, field + " " + problem.get());
        }
        return value;
    }

    /**
     * Reads a decimal given as text (a query parameter), refusing overlong text before parsing it.
     *
     * @throws NumberFormatException when it is not a decimal number
     * @throws DecimalOutOfRange     when it is one, out of bounds
     */
    public static BigDecimal parse(String field, String text) {
        if (text.length() > MAX_TEXT) {
            throw new DecimalOutOfRange(field, field + " must be at most " + MAX_TEXT + " characters");
        }
        return check(field, new BigDecimal(text));
    }

    /** The value in scientific notation, never expanded, cut short: safe to put in a message. */
    static String shown(BigDecimal value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 20) + "..." + text.substring(text.length() - 12) : text;
    }
}
