package dev.gpuproxy.server.gateway.metering;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/**
 * Reads an output-token limit ({@code max_tokens}, {@code max_completion_tokens}) the way OpenAI validates it: absent
 * or null, or a whole number from 1 to 2^31-1. Strings, booleans, arrays, objects, fractions and numbers out of range
 * are refused, never coerced (a long must not wrap to a small int).
 */
public final class MaxTokens {

    static final long LARGEST = Integer.MAX_VALUE;

    private MaxTokens() {
    }

    /** A refusal naming the parameter, in OpenAI's codes ({@code invalid_type}, {@code integer_below_min_value}...). */
    public static final class Invalid extends Exception {
        public final String param;
        public final String code;

        Invalid(String param, String code, String message) {
            super(message, null, false, false);
            this.param = param;
            this.code = code;
        }
    }

    /**
     * The limit {@code param} gives as {@code value} (as a JSON reader gives it: a number, string, boolean, JSON array or
     * object), or null when it is absent or null.
     */
    public static Long read(String param, Object value) throws Invalid {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long tokens = ((Number) value).longValue();
            if (tokens < 1) {
                throw new Invalid(param, "integer_below_min_value", "Invalid '" + param + "': integer below minimum"
                        + " value. Expected a value >= 1, but got " + tokens + " instead.");
            }
            if (tokens > LARGEST) {
                throw aboveMaximum(param, String.valueOf(tokens));
            }
            return tokens;
        }
        if (value instanceof BigInteger big) {
            throw big.signum() < 0 ? new Invalid(param, "integer_below_min_value", "Invalid '" + param + "': integer"
                    + " below minimum value. Expected a value >= 1.") : aboveMaximum(param, big.toString());
        }
        throw new Invalid(param, "invalid_type", "Invalid type for '" + param + "': expected an integer, but got "
                + typeOf(value) + " instead.");
    }

    private static Invalid aboveMaximum(String param, String got) {
        return new Invalid(param, "integer_above_max_value", "Invalid '" + param + "': integer above maximum value."
                + " Expected a value <= " + LARGEST + ", but got " + got + " instead.");
    }

    private static String typeOf(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        return "a decimal number";
    }
}
