package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What completes a payment: a page to open ({@code redirect}), coins to send ({@code send_crypto}), a card to
 * confirm ({@code confirm_card}) or nothing ({@code none}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentNextStep(
        @JsonProperty("type") String type,
        @JsonProperty("url") String url,
        @JsonProperty("amount") String amount,
        @JsonProperty("currency") String currency,
        @JsonProperty("deposit_address") String depositAddress,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("chain_id") String chainId,
        @JsonProperty("amount_base_units") String amountBaseUnits,
        @JsonProperty("token_contract") String tokenContract,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("transaction_id") String transactionId) {
}
