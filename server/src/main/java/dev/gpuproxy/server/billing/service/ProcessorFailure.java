package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.error.ApiException;
import java.util.Map;

/**
 * A processor could not complete a call. When the outcome is unknown (timeout, 5xx) the payment stays pending and a
 * retry asks the processor again with the same idempotency reference; otherwise (declined, refused) it failed.
 */
public class ProcessorFailure extends ApiException {

    private final boolean outcomeUnknown;

    public ProcessorFailure(int status, String code, String detail, boolean outcomeUnknown) {
        this(status, code, detail, outcomeUnknown, Map.of());
    }

    /** With response headers for the caller, such as the processor's Retry-After. */
    public ProcessorFailure(int status, String code, String detail, boolean outcomeUnknown, Map<String, String> headers) {
        super(status, code, detail, Map.of(), headers);
        this.outcomeUnknown = outcomeUnknown;
    }

    public static ProcessorFailure declined(String detail) {
        return new ProcessorFailure(402, "payment_declined", detail, false);
    }

    public static ProcessorFailure unavailable(String detail) {
        return new ProcessorFailure(502, "payment_provider_unavailable", detail, true);
    }

    public static ProcessorFailure refused(String detail) {
        return new ProcessorFailure(502, "payment_provider_error", detail, false);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** The same failure, naming the payment it concerns. */
    public ApiException forPayment(long paymentId) {
        return new ApiException(status(), code(), detail(), Map.of("payment_id", paymentId), headers());
    }
}
