package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to {@code POST /billing/payment}: the payment and what the payer does next. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentStarted(
        @JsonProperty("payment") Payment payment,
        @JsonProperty("next") PaymentNextStep next) {
}
