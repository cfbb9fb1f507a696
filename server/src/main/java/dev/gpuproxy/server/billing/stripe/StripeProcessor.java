package dev.gpuproxy.server.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.gpuproxy.server.billing.service.PaymentOrder;
import dev.gpuproxy.server.billing.service.PaymentProcessor;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStart;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.billing.service.PreferredPayment;
import dev.gpuproxy.server.billing.service.Pricing;
import dev.gpuproxy.server.billing.service.ProcessorFailure;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Card payments through Stripe (stripe-java). Without a saved method the client is sent to a Checkout Session; with
 * {@code X-Preferred-Payment: card:pm_...} a PaymentIntent is confirmed on that method. Either way credits come only
 * from the signed webhook ({@link StripeWebhooks}). Every call carries an idempotency key derived from the payment.
 */
@ApplicationScoped
public class StripeProcessor implements PaymentProcessor {

    /** Stripe refuses charges below 50 cents. */
    static final BigDecimal MINIMUM_USD = new BigDecimal("0.50");
    /** Metadata key naming our payment on Stripe's objects (sessions, intents, and through them charges). */
    public static final String PAYMENT_ID = "gpuproxy_payment_id";

    private final BillingConfig.Stripe config;
    private final Pricing pricing;
    private final StripeClient client;

    StripeProcessor(BillingConfig config, Pricing pricing) {
        this.config = config.stripe();
        this.pricing = pricing;
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, this.config.timeout().toMillis());
        this.client = this.config.secretKey()
                .map(key -> StripeClient.builder()
                        .setApiKey(key)
                        .setApiBase(this.config.apiBase().replaceAll("/+$", ""))
                        .setConnectTimeout(timeoutMillis)
                        .setReadTimeout(timeoutMillis)
                        .setMaxNetworkRetries(this.config.maxRetries())
                        .build())
                .orElse(null);
    }

    @Override
    public PaymentProvider provider() {
        return PaymentProvider.STRIPE;
    }

    @Override
    public boolean enabled() {
        return client != null;
    }

    @Override
    public Quote quote(BigDecimal amount, String currency) {
        String code = currency == null || currency.isBlank() ? "usd" : currency.trim().toLowerCase(Locale.ROOT);
        if (!code.equals("usd")) {
            throw ApiException.badRequest("Stripe payments are in usd");
        }
        BigDecimal checked = Pricing.checkAmount(amount, 2, "usd").setScale(2);
        if (checked.compareTo(MINIMUM_USD) < 0) {
            throw ApiException.badRequest("Stripe payments are at least " + MINIMUM_USD + " usd");
        }
        return new Quote(checked, code, pricing.credits(checked, code));
    }

    @Override
    public PaymentStart start(PaymentOrder order) {
        if (order.preferred() instanceof PreferredPayment.CardToken card) {
            String customer = order.stripeCustomerId() != null ? order.stripeCustomerId() : createCustomer(order.userId());
            return confirmIntent(order, customer, card.paymentMethodId(), false);
        }
        return checkout(order);
    }

    @Override
    public boolean chargesSavedMethods() {
        return true;
    }

    @Override
    public PaymentStart chargeSaved(PaymentOrder order, SavedMethod method) {
        String customer = method.stripeCustomerId() != null ? method.stripeCustomerId() : createCustomer(order.userId());
        return confirmIntent(order, customer, method.paymentMethod(), true);
    }

    private PaymentStart checkout(PaymentOrder order) {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl(config.successUrl())
                .setCancelUrl(config.cancelUrl())
                .setClientReferenceId(String.valueOf(order.paymentId()))
                .putMetadata(PAYMENT_ID, String.valueOf(order.paymentId()))
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata(PAYMENT_ID, String.valueOf(order.paymentId()))
                        .build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(order.currency())
                                .setUnitAmount(cents(order.amount()))
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(Credits.toDecimal(order.creditsMicros()).stripTrailingZeros()
                                                .toPlainString() + " gpuproxy credits")
                                        .build())
                                .build())
                        .build());
        if (order.stripeCustomerId() != null) {
            params.setCustomer(order.stripeCustomerId());
        }
        Session session = call("create a Checkout Session", () ->
                client.v1().checkout().sessions().create(params.build(), options(order.reference())));
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("type", "redirect");
        next.put("url", session.getUrl());
        next.put("session_id", session.getId());
        return new PaymentStart(session.getId(), session.getPaymentIntent(), PaymentStatus.PENDING, next, null);
    }

    private PaymentStart confirmIntent(PaymentOrder order, String customer, String paymentMethod, boolean offSession) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(cents(order.amount()))
                .setCurrency(order.currency())
                .setCustomer(customer)
                .setPaymentMethod(paymentMethod)
                .addPaymentMethodType("card")
                .setConfirm(true)
                .putMetadata(PAYMENT_ID, String.valueOf(order.paymentId()));
        if (offSession) {
            params.setOffSession(true);
        } else {
            params.setSetupFutureUsage(PaymentIntentCreateParams.SetupFutureUsage.OFF_SESSION);
        }
        PaymentIntent intent = call("create a PaymentIntent", () ->
                client.v1().paymentIntents().create(params.build(), options(order.reference())));
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("type", "requires_action".equals(intent.getStatus()) ? "confirm_card" : "none");
        next.put("payment_intent_id", intent.getId());
        next.put("client_secret", intent.getClientSecret());
        next.put("status", intent.getStatus());
        // Still pending here: payment_intent.succeeded, signed by Stripe, is what credits it.
        return new PaymentStart(intent.getId(), null, PaymentStatus.PENDING, next, customer);
    }

    private String createCustomer(long userId) {
        CustomerCreateParams params = CustomerCreateParams.builder()
                .putMetadata("gpuproxy_user_id", String.valueOf(userId))
                .build();
        Customer customer = call("create a Customer", () ->
                client.v1().customers().create(params, options("gpuproxy-customer-" + userId)));
        return customer.getId();
    }

    private static RequestOptions options(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    static long cents(BigDecimal usd) {
        return usd.movePointRight(2).longValueExact();
    }

    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    /** Runs a Stripe call, turning its failures into declines (card errors) or processor failures. */
    private static <T> T call(String what, StripeCall<T> call) {
        try {
            return call.run();
        } catch (CardException e) {
            throw ProcessorFailure.declined("The card was declined" + (e.getCode() == null ? "" : " (" + e.getCode() + ")")
                    + ": " + stripeMessage(e));
        } catch (ApiConnectionException e) {
            Log.warnf("Stripe could not be reached to %s: %s", what, e.getClass().getSimpleName());
            throw ProcessorFailure.unavailable("Stripe could not be reached; retry with the same Idempotency-Key");
        } catch (AuthenticationException e) {
            Log.errorf("Stripe refused the server's key when trying to %s (check STRIPE_SECRET_KEY)", what);
            throw ProcessorFailure.refused("Stripe refused this server's credentials");
        } catch (IdempotencyException e) {
            throw ProcessorFailure.refused("Stripe saw this payment's idempotency key with other parameters");
        } catch (StripeException e) {
            Integer status = e.getStatusCode();
            if (status == null || status >= 500 || status == 429) {
                Log.warnf("Stripe failed to %s: HTTP %s", what, status);
                throw ProcessorFailure.unavailable("Stripe is unavailable; retry with the same Idempotency-Key");
            }
            Log.warnf("Stripe refused to %s: HTTP %d %s", what, status, e.getCode());
            throw new ProcessorFailure(400, "payment_refused", "Stripe refused the payment: " + stripeMessage(e), false);
        }
    }

    private static String stripeMessage(StripeException e) {
        return e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : "no details";
    }
}
