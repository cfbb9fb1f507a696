package dev.gpuproxy.server.credit.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import java.math.BigDecimal;

/** Credits set aside before work starts; settled with the actual cost or released when the work fails. */
public record Hold(@JsonProperty("hold_id") long holdId, @JsonProperty("user_id") long userId,
                   @com.fasterxml.jackson.annotation.JsonIgnore long amountMicros,
                   @JsonProperty("balance_after") BigDecimal balanceAfter) {

    @JsonProperty("amount")
    public BigDecimal amount() {
        return Credits.toDecimal(amountMicros);
    }
}
