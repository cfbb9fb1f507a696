package dev.gpuproxy.cli.client.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Details;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a payment for credits and says what to do next: open the Stripe checkout page, send crypto to the deposit
 * address, or nothing (AfterDark charges the account on file at once). Every run sends an Idempotency-Key, so the
 * server never charges twice for one run; pass your own to make a retried script safe too.
 */
@Command(name = "pay",
        description = {"Buy credits: prints the checkout URL, the crypto deposit instructions or the receipt.",
            "", "Card numbers are never accepted here: cards go through Stripe Checkout."},
        footer = {
            "  gpuproxy-client pay 20 --provider stripe",
            "  gpuproxy-client pay 0.01 --provider crypto --currency ETH",
            "  gpuproxy-client pay 50 --provider afterdark --idempotency-key invoice-2026-11"
        })
public final class PayCommand extends ApiCommand {

    @Parameters(paramLabel = "<amount>", description = "How much to pay, in the currency (default USD).")
    BigDecimal amount;

    @Option(names = "--provider", required = true, paramLabel = "stripe|crypto|afterdark",
            description = "Payment processor.")
    String provider;

    @Option(names = "--currency", paramLabel = "<code>", description = "USD (default), ETH or a configured token.")
    String currency;

    @Option(names = "--pay-currency", paramLabel = "<coin>",
            description = "Crypto only: the coin or token to send (ETH by default, or a configured token).")
    String payCurrency;

    @Option(names = "--payment-method", paramLabel = "<pm_...|crypto:chain:0x...>",
            description = "Saved Stripe card (pm_...) or the wallet you pay from (crypto:ethereum:0x...).")
    String paymentMethod;

    @Option(names = "--idempotency-key", paramLabel = "<key>",
            description = "Reuse to retry the same payment safely (default: a fresh key per run).")
    String idempotencyKey;

    @Override
    protected void execute() {
        String processor = provider.trim().toLowerCase(Locale.ROOT);
        if (!(processor.equals("stripe") || processor.equals("crypto") || processor.equals("afterdark"))) {
            throw usageError("--provider must be stripe, crypto or afterdark (got '" + provider + "')");
        }
        if (amount.signum() <= 0) {
            throw usageError("the amount must be positive (got " + amount.toPlainString() + ")");
        }
        if (paymentMethod != null && paymentMethod.replaceAll("[\\s-]", "").matches("(card:)?\\d{12,19}")) {
            throw usageError("card numbers are not accepted; pay by card through '--provider stripe' checkout");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
        if (paymentMethod != null) {
            headers.put("X-Preferred-Payment", paymentMethod.startsWith("pm_") ? "card:" + paymentMethod
                    : paymentMethod);
        }
        JsonNode answer = api().post("/api/v1/billing/payment",
                ApiClient.body("amount", amount, "currency", currency, "provider", processor,
                        "pay_currency", payCurrency), headers);
        if (output().isJson()) {
            output().json(answer);
            return;
        }
        JsonNode payment = answer.path("payment");
        JsonNode next = answer.path("next");
        String paymentId = Json.text(payment, "id");
        switch (next.path("type").asText("none")) {
            case "redirect" -> {
                output().note("Payment " + paymentId + " created: open this page to pay; credits arrive once Stripe"
                        + " confirms.");
                output().line(Json.required(next, "url"));
            }
            case "send_crypto" -> {
                output().details(new Details()
                        .add("Payment", paymentId)
                        .field("Send", next, "amount")
                        .field("Of", next, "currency")
                        .field("To address", next, "deposit_address")
                        .field("Valid until", next, "expires_at")
                        .field("Chain id", next, "chain_id")
                        .field("Base units", next, "amount_base_units")
                        .field("Token contract", next, "token_contract"));
                output().note("Then submit the transaction hash: POST /api/v1/billing/crypto/verify"
                        + " {\"payment_id\":" + paymentId + ",\"tx_hash\":\"0x...\"}.");
            }
            case "confirm_card" -> {
                output().note("Payment " + paymentId + " needs 3-D Secure: confirm it with Stripe.js using this"
                        + " client secret.");
                output().line(Json.required(next, "client_secret"));
            }
            default -> output().details(new Details()
                    .add("Payment", paymentId)
                    .field("Status", payment, "status")
                    .field("Amount", payment, "amount")
                    .field("Currency", payment, "currency")
                    .field("Credits", payment, "credits")
                    .field("Transaction", next, "transaction_id"));
        }
    }
}
