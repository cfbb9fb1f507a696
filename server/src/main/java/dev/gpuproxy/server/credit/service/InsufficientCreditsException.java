package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import java.util.Map;

/** 402: the wallet cannot cover a request, even using the overage cap. */
public class InsufficientCreditsException extends ApiException {

    public InsufficientCreditsException(long neededMicros, long availableMicros) {
        super(402, "insufficient_credits", "This needs " + Credits.toDecimal(neededMicros).toPlainString()
                        + " credits but only " + Credits.toDecimal(Math.max(0, availableMicros)).toPlainString()
                        + " are available (balance plus overage cap); top up to continue",
                Map.of("needed", Credits.toDecimal(neededMicros),
                        "available", Credits.toDecimal(Math.max(0, availableMicros))),
                Map.of());
    }
}
