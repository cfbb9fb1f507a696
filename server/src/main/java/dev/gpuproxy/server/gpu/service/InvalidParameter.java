package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.server.common.error.ApiException;
import java.util.Map;

/** The 400 problem for a query parameter with a bad value: {@code "code": "invalid_parameter", "parameter": name}. */
public final class InvalidParameter {

    private InvalidParameter() {
    }

    public static ApiException of(String parameter, String detail) {
        return new ApiException(400, "invalid_parameter", detail, Map.of("parameter", parameter), Map.of());
    }

    /** {@code true}/{@code 1} or {@code false}/{@code 0}; absent or empty is {@code defaultValue}. */
    public static boolean bool(String parameter, String value, boolean defaultValue) {
        return switch (value == null ? "" : value.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            case "" -> defaultValue;
            default -> throw of(parameter, parameter + " must be true or false (got '" + value + "')");
        };
    }
}
