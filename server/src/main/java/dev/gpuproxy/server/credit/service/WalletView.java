package dev.gpuproxy.server.credit.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.repository.WalletEntity;
import java.math.BigDecimal;

/** A wallet as the API shows it (credits with six decimals). */
public record WalletView(
        @JsonProperty("credits_remaining") BigDecimal creditsRemaining,
        @JsonProperty("credits_total") BigDecimal creditsTotal,
        @JsonProperty("credits_overage") BigDecimal creditsOverage,
        @JsonProperty("credits_cap") BigDecimal creditsCap,
        @JsonProperty("credits_reserved") BigDecimal creditsReserved,
        @JsonProperty("credits_available") BigDecimal creditsAvailable,
        @JsonProperty("credits_auto_renew") boolean autoRenew,
        @JsonProperty("auto_renew_amount") BigDecimal autoRenewAmount,
        @JsonProperty("auto_renew_threshold") BigDecimal autoRenewThreshold) {

    public static WalletView of(WalletEntity wallet) {
        return new WalletView(Credits.toDecimal(wallet.creditsRemaining), Credits.toDecimal(wallet.creditsTotal),
                Credits.toDecimal(wallet.creditsOverage), Credits.toDecimal(wallet.creditsCap),
                Credits.toDecimal(wallet.creditsReserved), Credits.toDecimal(Math.max(0, wallet.spendable())),
                wallet.autoRenew, Credits.toDecimal(wallet.autoRenewAmount),
                Credits.toDecimal(wallet.autoRenewThreshold));
    }
}
