package dev.gpuproxy.cli.client.billing;

import dev.gpuproxy.api.model.Payment;
import dev.gpuproxy.api.model.PaymentNextStep;
import dev.gpuproxy.api.model.PaymentStarted;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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

    /** An answer without a payment or a next step shows "-" in their places. */
    private static final Payment NO_PAYMENT = new Payment(null, null, null, null, null, null, null);
    private static final PaymentNextStep NO_NEXT_STEP = new PaymentNextStep(null, null, null, null, null, null, null,
            null, null, null, null);

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
        Reply<PaymentStarted> reply = api().post("/api/v1/billing/payment",
                ApiClient.body("amount", amount, "currency", currency, "provider", processor,
                        "pay_currency", payCurrency), headers, PaymentStarted.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        Payment payment = Objects.requireNonNullElse(reply.value().payment(), NO_PAYMENT);
        PaymentNextStep next = Objects.requireNonNullElse(reply.value().next(), NO_NEXT_STEP);
        String paymentId = payment.id() == null ? "-" : payment.id();
        switch (next.type() == null ? "none" : next.type()) {
            case "redirect" -> {
                output().note("Payment " + paymentId + " created: open this page to pay; credits arrive once Stripe"
                        + " confirms.");
                output().line(Json.required(next.url(), "url"));
            }
            case "send_crypto" -> {
                output().details(new Details()
                        .add("Payment", paymentId)
                        .add("Send", next.amount())
                        .add("Of", next.currency())
                        .add("To address", next.depositAddress())
                        .add("Valid until", next.expiresAt())
                        .add("Chain id", next.chainId())
                        .add("Base units", next.amountBaseUnits())
                        .add("Token contract", next.tokenContract()));
                output().note("Then submit the transaction hash: POST /api/v1/billing/crypto/verify"
                        + " {\"payment_id\":" + paymentId + ",\"tx_hash\":\"0x...\"}.");
            }
            case "confirm_card" -> {
                output().note("Payment " + paymentId + " needs 3-D Secure: confirm it with Stripe.js using this"
                        + " client secret.");
                output().line(Json.required(next.clientSecret(), "client_secret"));
            }
            default -> output().details(new Details()
                    .add("Payment", paymentId)
                    .add("Status", payment.status())
                    .add("Amount", payment.amount())
                    .add("Currency", payment.currency())
                    .add("Credits", payment.credits())
                    .add("Transaction", next.transactionId()));
        }
    }
}
