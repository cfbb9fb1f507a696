package dev.gpuproxy.server.common.number;

import dev.gpuproxy.server.common.error.ApiException;

/** A decimal from outside exceeds {@link BoundedDecimal}'s bounds: 400 {@code number_out_of_range}. */
public class DecimalOutOfRange extends ApiException {

    private final String field;

    public DecimalOutOfRange(String field, String detail) {
        super(400, "number_out_of_range", detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
