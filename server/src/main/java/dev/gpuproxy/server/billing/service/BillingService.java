package dev.gpuproxy.server.billing.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.server.billing.repository.BillingProfileEntity;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.billing.repository.PaymentRepository;
import dev.gpuproxy.server.billing.service.PaymentProcessor.Quote;
import dev.gpuproxy.server.billing.service.PaymentProcessor.SavedMethod;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.crypto.Tokens;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Payments for credits: picks the processor, creates the pending payment, lets the processor start collecting it and
 * records what it answered. Remote calls happen outside database transactions (SQLite has one connection), so a
 * payment is written before the call and completed after it.
 *
 * <p>An {@code Idempotency-Key} is stored on the payment: a retry with the same key and body returns the first answer;
 * while that answer is unknown (the processor timed out) a retry asks the processor again with the same reference,
 * which the processor deduplicates.
 */
@ApplicationScoped
public class BillingService {

    public static final int MAX_KEY_LENGTH = 200;
    public static final int MAX_PAGE = 100;

    /**
     * A request to pay {@code amount} of {@code currency} through {@code provider}; crypto payments may name the coin or
     * token to send ({@code payCurrency}).
     */
    public record CreatePayment(BigDecimal amount, String currency, String provider, String payCurrency) {}

    /** A payment just created (or replayed) and what the client must do next. */
    public record PaymentCreated(PaymentView payment, Map<String, Object> next, boolean replayed) {}

    public record PaymentPage(List<PaymentView> data, long total, int limit, int offset) {}

    private final Map<PaymentProvider, PaymentProcessor> processors = new EnumMap<>(PaymentProvider.class);
    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final PaymentMetadata metadata;
    private final Pricing pricing;
    private final AuditTrail audit;
    private final Clock clock;

    BillingService(@Any Instance<PaymentProcessor> all, PaymentRepository payments, PaymentLedger ledger,
                   PaymentMetadata metadata, Pricing pricing, AuditTrail audit, Clock clock) {
        for (PaymentProcessor processor : all) {
            if (processors.put(processor.provider(), processor) != null) {
                throw new IllegalStateException("Two payment processors for " + processor.provider().id());
            }
        }
        this.payments = payments;
        this.ledger = ledger;
        this.metadata = metadata;
        this.pricing = pricing;
        this.audit = audit;
        this.clock = clock;
    }

    void announce(@Observes StartupEvent start) {
        Log.infof("Billing: %s", processors.values().stream()
                .map(p -> p.provider().id() + (p.enabled() ? " on" : " off")).collect(Collectors.joining(", ")));
    }

    /** The processor named by the {@code X-Billing} header or the body's {@code provider} (they must agree). */
    public static PaymentProvider chooseProvider(String header, String body) {
        PaymentProvider fromHeader = header == null || header.isBlank() ? null : PaymentProvider.parse(header, "X-Billing");
        PaymentProvider fromBody = body == null || body.isBlank() ? null : PaymentProvider.parse(body, "provider");
        if (fromHeader != null && fromBody != null && fromHeader != fromBody) {
            throw ApiException.badRequest("X-Billing (" + fromHeader.id() + ") and provider (" + fromBody.id()
                    + ") name different processors");
        }
        PaymentProvider chosen = fromHeader != null ? fromHeader : fromBody;
        if (chosen == null) {
            throw ApiException.badRequest("provider is required (body field provider or header X-Billing:"
                    + " stripe, crypto or afterdark)");
        }
        return chosen;
    }

    public PaymentProcessor processor(PaymentProvider provider) {
        PaymentProcessor processor = processors.get(provider);
        if (processor == null || !processor.enabled()) {
            throw new ApiException(503, "payment_provider_not_configured",
                    "Payments through " + provider.id() + " are not configured on this server");
        }
        return processor;
    }

    public PaymentCreated create(long userId, CreatePayment request, String billingHeader, String preferredHeader,
                                 String requestKey) {
        PreferredPayment preferred = PreferredPayment.parse(preferredHeader);
        PaymentProvider provider = chooseProvider(billingHeader, request.provider());
        checkPreference(provider, preferred);
        PaymentProcessor processor = processor(provider);
        processor.checkPreferred(preferred);
        Quote quote = processor.quote(request.amount(), request.currency(), request.payCurrency());
        if (requestKey != null && (requestKey.isBlank() || requestKey.length() > MAX_KEY_LENGTH)) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String requestHash = Tokens.sha256Hex(provider.id() + "|" + quote.amount().toPlainString() + "|"
                + quote.currency() + "|" + describe(preferred)
                + (quote.coin() == null || quote.coin().currency().equals(quote.currency()) ? ""
                        : "|" + quote.coin().currency()));
        Prepared prepared;
        try {
            prepared = QuarkusTransaction.requiringNew()
                    .call(() -> prepare(userId, provider, quote, preferred, requestKey, requestHash));
        } catch (RuntimeException e) {
            if (requestKey == null || !isConstraintViolation(e)) {
                throw e;
            }
            // A concurrent request with the same key created the payment first: continue with that one.
            prepared = QuarkusTransaction.requiringNew()
                    .call(() -> prepare(userId, provider, quote, preferred, requestKey, requestHash));
        }
        if (prepared.answer() != null) {
            return prepared.answer();
        }
        return collect(prepared.order(), processor, null);
    }

    private record Prepared(PaymentOrder order, PaymentCreated answer) {}

    private Prepared prepare(long userId, PaymentProvider provider, Quote quote, PreferredPayment preferred,
                             String requestKey, String requestHash) {
        String customer = payments.findProfile(userId).map(p -> p.stripeCustomerId).orElse(null);
        if (requestKey != null) {
            Optional<PaymentEntity> earlier = payments.findByRequestKey(userId, requestKey);
            if (earlier.isPresent()) {
                PaymentEntity payment = earlier.get();
                if (!requestHash.equals(payment.requestHash)) {
                    throw new ApiException(422, "idempotency_key_reused",
                            "This Idempotency-Key was used for a different request; use a new key for a new request");
                }
                ObjectNode stored = metadata.read(payment);
                JsonNode error = stored.get("error");
                if (error != null) {
                    throw new ApiException(error.path("status").asInt(400), error.path("code").asText(),
                            error.path("detail").asText(), Map.of("payment_id", payment.id), Map.of());
                }
                if (stored.path("answered").asBoolean(false)) {
                    return new Prepared(null,
                            new PaymentCreated(PaymentView.of(payment), metadata.toMap(stored.get("next")), true));
                }
                return new Prepared(order(payment, preferred, customer), null);
            }
        }
        PaymentEntity payment = new PaymentEntity();
        payment.userId = userId;
        payment.provider = provider.id();
        payment.status = PaymentStatus.PENDING.id();
        payment.amount = quote.amount().toPlainString();
        payment.currency = quote.currency();
        payment.credits = quote.creditsMicros();
        payment.payer = payer(preferred);
        payment.requestKey = requestKey;
        payment.requestHash = requestKey == null ? null : requestHash;
        payment.createdAt = clock.instant();
        payment.updatedAt = payment.createdAt;
        if (quote.coin() != null) {
            payment.payCurrency = quote.coin().currency();
            payment.payAmount = quote.coin().amount().toPlainString();
            payment.quoteExpiresAt = payment.createdAt.plus(quote.coin().validFor());
        }
        payments.persist(payment);
        return new Prepared(order(payment, preferred, customer), null);
    }

    private static PaymentOrder order(PaymentEntity payment, PreferredPayment preferred, String stripeCustomerId) {
        PaymentOrder.Coin coin = payment.payCurrency == null ? null : new PaymentOrder.Coin(payment.payCurrency,
                new BigDecimal(payment.payAmount), payment.quoteExpiresAt);
        return new PaymentOrder(payment.id, payment.userId, new BigDecimal(payment.amount), payment.currency,
                payment.credits, preferred, "gpuproxy-payment-" + payment.id, stripeCustomerId, coin);
    }

    /** Lets the processor start (or, with {@code saved}, complete) the payment and records its answer. */
    private PaymentCreated collect(PaymentOrder order, PaymentProcessor processor, SavedMethod saved) {
        PaymentStart start;
        try {
            start = saved == null ? processor.start(order) : processor.chargeSaved(order, saved);
        } catch (ProcessorFailure failure) {
            QuarkusTransaction.requiringNew().run(() -> recordFailure(order.paymentId(), failure));
            throw failure.forPayment(order.paymentId());
        }
        return QuarkusTransaction.requiringNew().call(() -> record(order, processor.provider(), start));
    }

    private PaymentCreated record(PaymentOrder order, PaymentProvider provider, PaymentStart start) {
        PaymentEntity payment = payments.lock(order.paymentId()).orElseThrow();
        if (payment.externalId == null && start.externalId() != null) {
            payment.externalId = start.externalId();
        }
        if (payment.externalRef == null && start.externalRef() != null) {
            payment.externalRef = start.externalRef();
        }
        if (start.status() == PaymentStatus.SUCCEEDED) {
            ledger.paid(payment);
        } else if (start.status() == PaymentStatus.FAILED) {
            ledger.failed(payment, PaymentStatus.FAILED);
        }
        ObjectNode stored = metadata.read(payment);
        stored.put("answered", true);
        metadata.write(payment, stored);
        metadata.put(payment, "next", start.next());
        payment.updatedAt = clock.instant();
        remember(order, provider, start);
        payments.flush();
        return new PaymentCreated(PaymentView.of(payment), start.next(), false);
    }

    /** Keeps the method the user chose so auto-renew can use it, and their Stripe customer. */
    private void remember(PaymentOrder order, PaymentProvider provider, PaymentStart start) {
        boolean card = order.preferred() instanceof PreferredPayment.CardToken;
        boolean afterDarkCharged = provider == PaymentProvider.AFTERDARK && start.status() == PaymentStatus.SUCCEEDED;
        if (!card && !afterDarkCharged && start.stripeCustomerId() == null) {
            return;
        }
        BillingProfileEntity profile = payments.profileForUpdate(order.userId(), clock.instant());
        if (start.stripeCustomerId() != null) {
            profile.stripeCustomerId = start.stripeCustomerId();
        }
        if (card) {
            profile.provider = PaymentProvider.STRIPE.id();
            profile.paymentMethod = ((PreferredPayment.CardToken) order.preferred()).paymentMethodId();
        } else if (afterDarkCharged) {
            profile.provider = PaymentProvider.AFTERDARK.id();
            profile.paymentMethod = "account";
        }
        profile.updatedAt = clock.instant();
    }

    private void recordFailure(long paymentId, ProcessorFailure failure) {
        PaymentEntity payment = payments.lock(paymentId).orElseThrow();
        ObjectNode stored = metadata.read(payment);
        ObjectNode error = stored.objectNode();
        error.put("status", failure.status());
        error.put("code", failure.code());
        error.put("detail", failure.detail());
        if (failure.outcomeUnknown()) {
            stored.set("last_error", error);
        } else {
            stored.set("error", error);
            ledger.failed(payment, PaymentStatus.FAILED);
        }
        metadata.write(payment, stored);
        payment.updatedAt = clock.instant();
    }

    /**
     * Tops up a wallet that fell below its auto-renew threshold through the user's saved method. Runs on a worker
     * thread after the wallet change committed; failures are logged and audited, never thrown.
     */
    public void autoRenew(long userId, long amountMicros) {
        Optional<SavedMethod> saved = QuarkusTransaction.requiringNew().call(() -> payments.findProfile(userId)
                .filter(p -> p.provider != null && p.paymentMethod != null)
                .map(p -> new SavedMethod(PaymentProvider.parse(p.provider, "provider"), p.paymentMethod,
                        p.stripeCustomerId)));
        PaymentProcessor processor = saved.map(s -> processors.get(s.provider())).orElse(null);
        if (processor == null || !processor.enabled() || !processor.chargesSavedMethods()) {
            Log.warnf("Auto-renew for user %d skipped: no saved payment method that can be charged", userId);
            QuarkusTransaction.requiringNew().run(() -> audit.record(null, "billing.auto_renew_skipped", "user",
                    String.valueOf(userId), "no saved payment method that can be charged"));
            return;
        }
        Quote quote;
        try {
            quote = processor.quote(pricing.usdFor(amountMicros), "usd");
        } catch (ApiException e) {
            Log.warnf("Auto-renew for user %d skipped: %s", userId, e.detail());
            QuarkusTransaction.requiringNew().run(() -> audit.record(null, "billing.auto_renew_skipped", "user",
                    String.valueOf(userId), e.detail()));
            return;
        }
        PaymentOrder order = QuarkusTransaction.requiringNew().call(() -> {
            PaymentEntity payment = new PaymentEntity();
            payment.userId = userId;
            payment.provider = processor.provider().id();
            payment.status = PaymentStatus.PENDING.id();
            payment.amount = quote.amount().toPlainString();
            payment.currency = quote.currency();
            payment.credits = quote.creditsMicros();
            payment.payer = saved.get().paymentMethod();
            payment.createdAt = clock.instant();
            payment.updatedAt = payment.createdAt;
            metadata.put(payment, "auto_renew", true);
            payments.persist(payment);
            audit.record(null, "billing.auto_renew_charge", "payment", String.valueOf(payment.id),
                    "user=" + userId + " credits=" + Credits.toDecimal(quote.creditsMicros()).toPlainString());
            return order(payment, PreferredPayment.NONE, saved.get().stripeCustomerId());
        });
        try {
            collect(order, processor, saved.get());
        } catch (ApiException e) {
            Log.warnf("Auto-renew payment %d for user %d failed: %s", order.paymentId(), userId, e.code());
        } catch (RuntimeException e) {
            Log.errorf(e, "Auto-renew payment %d for user %d failed", order.paymentId(), userId);
        }
    }

    public PaymentPage list(long userId, String status, Integer limit, Integer offset) {
        int size = limit == null ? 20 : limit;
        int skip = offset == null ? 0 : offset;
        if (size < 1 || size > MAX_PAGE || skip < 0) {
            throw ApiException.badRequest("limit must be 1.." + MAX_PAGE + " and offset at least 0");
        }
        String statusFilter = status == null || status.isBlank() ? null : PaymentStatus.of(checkStatus(status)).id();
        return QuarkusTransaction.requiringNew().call(() -> new PaymentPage(
                payments.page(userId, statusFilter, size, skip).stream().map(PaymentView::of).toList(),
                payments.count(userId, statusFilter), size, skip));
    }

    public Optional<PaymentView> find(long userId, long paymentId) {
        return QuarkusTransaction.requiringNew().call(() -> payments.find(userId, paymentId).map(PaymentView::of));
    }

    private static String checkStatus(String status) {
        for (PaymentStatus each : PaymentStatus.values()) {
            if (each.id().equalsIgnoreCase(status.trim())) {
                return each.id();
            }
        }
        throw ApiException.badRequest("status must be one of pending, succeeded, failed, refunded, disputed, canceled");
    }

    private static void checkPreference(PaymentProvider provider, PreferredPayment preferred) {
        if (preferred instanceof PreferredPayment.CardToken && provider != PaymentProvider.STRIPE) {
            throw ApiException.badRequest("X-Preferred-Payment card:pm_... is a Stripe payment method; use provider stripe");
        }
        if (preferred instanceof PreferredPayment.CryptoWallet && provider != PaymentProvider.CRYPTO) {
            throw ApiException.badRequest("X-Preferred-Payment crypto:... needs provider crypto");
        }
    }

    private static String payer(PreferredPayment preferred) {
        if (preferred instanceof PreferredPayment.CardToken card) {
            return card.paymentMethodId();
        }
        if (preferred instanceof PreferredPayment.CryptoWallet wallet) {
            return wallet.address();
        }
        return null;
    }

    private static String describe(PreferredPayment preferred) {
        if (preferred instanceof PreferredPayment.CryptoWallet wallet) {
            return "crypto:" + wallet.network() + ":" + wallet.address();
        }
        return String.valueOf(payer(preferred));
    }

    /** Whether a failure is (caused by) a unique or other constraint violation. */
    public static boolean isConstraintViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException
                    || cause instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (cause instanceof org.sqlite.SQLiteException sqlite
                    && sqlite.getResultCode().name().startsWith("SQLITE_CONSTRAINT")) {
                return true;
            }
            String state = cause instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.startsWith("23")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
