package dev.gpuproxy.server.billing.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.billing.repository.PaymentRepository;
import dev.gpuproxy.server.billing.service.BillingService;
import dev.gpuproxy.server.billing.service.PaymentLedger;
import dev.gpuproxy.server.billing.service.PaymentMetadata;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.billing.service.PaymentView;
import dev.gpuproxy.server.cluster.service.SingletonJob;
import dev.gpuproxy.server.cluster.service.SingletonJobs;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a submitted transaction into credits: {@link ChainReader} judges it, and only a mined transaction that passed
 * every check (recipient, amount, sender, time) is bound to the payment, in one short transaction
 * ({@code payments (provider, external_id)} is unique, so a hash pays one payment even when two users submit it at
 * once); the payment is credited when deep enough. A transaction still in the mempool is answered 202 and bound to
 * nothing, so no one can claim or block a transfer they watch there. A bound payment short of confirmations stays
 * pending and is checked again in the background.
 */
@ApplicationScoped
public class CryptoPayments {

    private static final String PROVIDER = PaymentProvider.CRYPTO.id();

    /**
     * The state of a crypto payment after a check. {@code waitingFor} is {@code mining} (the transaction is not in a
     * block yet and is not bound to the payment: submit it again once mined), {@code confirmations}, or null when
     * credited; {@code paidBaseUnits} is what the bound transaction moved (more than asked is not credited).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(PaymentView payment, @JsonProperty("tx_hash") String txHash, long confirmations,
                               @JsonProperty("required_confirmations") int requiredConfirmations,
                               @JsonProperty("waiting_for") String waitingFor,
                               @JsonProperty("paid_base_units") String paidBaseUnits) {}

    private final BillingConfig.Crypto config;
    private final CryptoProcessor processor;
    private final CryptoCurrencies currencies;
    private final DepositAddresses deposits;
    private final CryptoWallets wallets;
    private final ChainReader chain;
    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final PaymentMetadata metadata;
    private final AuditTrail audit;
    private final Clock clock;
    private final SingletonJobs singletons;

    CryptoPayments(BillingConfig config, CryptoProcessor processor, CryptoCurrencies currencies,
                   DepositAddresses deposits, CryptoWallets wallets, ChainReader chain, PaymentRepository payments,
                   PaymentLedger ledger, PaymentMetadata metadata, AuditTrail audit, Clock clock,
                   SingletonJobs singletons) {
        this.singletons = singletons;
        this.config = config.crypto();
        this.processor = processor;
        this.currencies = currencies;
        this.deposits = deposits;
        this.wallets = wallets;
        this.chain = chain;
        this.payments = payments;
        this.ledger = ledger;
        this.metadata = metadata;
        this.audit = audit;
        this.clock = clock;
    }

    public Verification verify(long userId, long paymentId, String txHash) {
        if (!processor.enabled()) {
            throw new ApiException(503, "payment_provider_not_configured", "Crypto payments are not configured on this server");
        }
        String hash = txHash.toLowerCase(Locale.ROOT);
        PaymentEntity snapshot = QuarkusTransaction.requiringNew().call(() -> payments.find(userId, paymentId))
                .orElseThrow(() -> ApiException.notFound("No payment " + paymentId));
        if (!PROVIDER.equals(snapshot.provider)) {
            throw ApiException.badRequest("Payment " + paymentId + " is a " + snapshot.provider + " payment, not crypto");
        }
        if (snapshot.externalId != null && !snapshot.externalId.equals(hash)) {
            throw ApiException.conflict("payment_has_transaction",
                    "Payment " + paymentId + " is already paid by another transaction");
        }
        PaymentStatus status = PaymentStatus.of(snapshot.status);
        if (status == PaymentStatus.SUCCEEDED) {
            return verification(snapshot);
        }
        if (status != PaymentStatus.PENDING) {
            throw ApiException.conflict("payment_not_pending", "Payment " + paymentId + " is " + snapshot.status);
        }
        boolean usedElsewhere = QuarkusTransaction.requiringNew().call(() -> payments.findByProviderId(PROVIDER, hash)
                .filter(other -> !other.id.equals(paymentId)).isPresent());
        if (usedElsewhere) {
            throw txAlreadyUsed();
        }
        ChainReader.Expectation expected = expectation(snapshot);
        if (deposits.isShared(expected.depositAddress())) {
            checkOwnsPayer(userId, snapshot);
        }
        ChainReader.Verdict verdict = chain.inspect(hash, expected);
        if (verdict instanceof ChainReader.Unknown) {
            throw new ApiException(422, "tx_not_found", "The Ethereum node does not know transaction " + hash
                    + " (chain " + config.chainId() + ")");
        }
        if (verdict instanceof ChainReader.Rejected rejected) {
            if (rejected.code().equals("quote_expired")) {
                QuarkusTransaction.requiringNew().run(() -> audit.record(userId, "billing.crypto_paid_after_quote",
                        "payment", String.valueOf(paymentId), "tx " + hash + " mined after the quote expired"));
            }
            throw new ApiException(422, rejected.code(), rejected.detail());
        }
        if (verdict instanceof ChainReader.NotMined) {
            return new Verification(PaymentView.of(snapshot), hash, 0, config.confirmations(), "mining", null);
        }
        ChainReader.Paying paying = (ChainReader.Paying) verdict;
        try {
            return QuarkusTransaction.requiringNew().call(() -> settle(paymentId, hash, paying));
        } catch (RuntimeException e) {
            if (BillingService.isConstraintViolation(e)) {
                throw txAlreadyUsed();
            }
            throw e;
        }
    }

    /**
     * At the shared address a transfer is matched by its sender, so the payment must name a wallet that belongs to its
     * own account (claimed when the payment was created; see {@link CryptoWallets}).
     */
    private void checkOwnsPayer(long userId, PaymentEntity payment) {
        if (payment.payer == null) {
            throw new ApiException(409, "payer_wallet_required", "Payment " + payment.id + " names no paying wallet,"
                    + " which a payment to the shared deposit address needs; create a new payment with"
                    + " X-Preferred-Payment: crypto:ethereum:<0x wallet>");
        }
        Optional<Long> owner = QuarkusTransaction.requiringNew().call(() -> wallets.owner(payment.payer));
        if (owner.isEmpty() || owner.get() != userId) {
            throw new ApiException(409, "wallet_in_use", "Wallet " + payment.payer + " does not belong to this account"
                    + " here; pay from a wallet of your own");
        }
    }

    private static ApiException txAlreadyUsed() {
        return ApiException.conflict("tx_already_used", "This transaction already paid another payment");
    }

    /** What the payment's transfer must be: its quote (or, for payments older than quotes, its amount itself). */
    private ChainReader.Expectation expectation(PaymentEntity payment) {
        String symbol = payment.payCurrency != null ? payment.payCurrency : payment.currency;
        String amount = payment.payAmount != null ? payment.payAmount : payment.amount;
        CryptoCurrencies.Currency coin = currencies.find(symbol).orElseThrow(() -> new ApiException(409,
                "currency_not_accepted", symbol + " is no longer accepted (CRYPTO_TOKENS)"));
        String depositAddress = payment.externalRef != null ? payment.externalRef : deposits.forPayment(payment.id);
        return new ChainReader.Expectation(coin, processor.baseUnits(new BigDecimal(amount), coin), depositAddress,
                payment.payer, payment.createdAt, payment.quoteExpiresAt);
    }

    /** Binds the hash to the payment and credits it when deep enough; in the caller's new transaction. */
    private Verification settle(long paymentId, String hash, ChainReader.Paying paying) {
        long confirmations = paying.confirmations();
        PaymentEntity payment = payments.lock(paymentId).orElseThrow();
        if (payment.externalId != null && !payment.externalId.equals(hash)) {
            throw ApiException.conflict("payment_has_transaction",
                    "Payment " + paymentId + " is already paid by another transaction");
        }
        if (payment.externalId == null) {
            payment.externalId = hash;
            payments.flush();
        }
        metadata.put(payment, "confirmations", confirmations);
        metadata.put(payment, "paid_base_units", paying.paid().toString());
        payment.updatedAt = clock.instant();
        if (PaymentStatus.of(payment.status) == PaymentStatus.PENDING && confirmations >= config.confirmations()) {
            ledger.paid(payment);
        }
        payments.flush();
        return verification(payment);
    }

    private Verification verification(PaymentEntity payment) {
        var stored = metadata.read(payment);
        boolean credited = PaymentStatus.of(payment.status) == PaymentStatus.SUCCEEDED;
        return new Verification(PaymentView.of(payment), payment.externalId, stored.path("confirmations").asLong(0),
                config.confirmations(), credited ? null : "confirmations",
                stored.hasNonNull("paid_base_units") ? stored.get("paid_base_units").asText() : null);
    }

    /** Checks again every pending payment that names its transaction, crediting those now deep enough. */
    @Scheduled(every = "${billing.crypto.recheck-interval:${CRYPTO_RECHECK_INTERVAL:30s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recheckPending() {
        if (!processor.enabled() || !singletons.holds(SingletonJob.CRYPTO_RECHECK)) {
            return;
        }
        for (Long id : QuarkusTransaction.requiringNew().call(() -> payments.pendingWithExternalId(PROVIDER, 200))) {
            try {
                recheck(id);
            } catch (RuntimeException e) {
                Log.warnf("Re-checking crypto payment %d failed: %s", id, e.getMessage());
            }
        }
    }

    /** Checks one payment that waits for confirmations. */
    public void recheck(long paymentId) {
        PaymentEntity snapshot = QuarkusTransaction.requiringNew().call(() -> payments.lock(paymentId)).orElseThrow();
        if (snapshot.externalId == null || PaymentStatus.of(snapshot.status) != PaymentStatus.PENDING) {
            return;
        }
        ChainReader.Verdict verdict = chain.inspect(snapshot.externalId, expectation(snapshot));
        if (verdict instanceof ChainReader.Paying paying) {
            QuarkusTransaction.requiringNew().call(() -> settle(paymentId, snapshot.externalId, paying));
        } else if (verdict instanceof ChainReader.Rejected rejected) {
            // NotMined or Unknown (a reorg put it back in the mempool) waits for the next round; Rejected is final.
            // Mined differently than first seen (a reorg, a replaced transaction): this payment will not be credited.
            QuarkusTransaction.requiringNew().run(() -> {
                PaymentEntity payment = payments.lock(paymentId).orElseThrow();
                ledger.failed(payment, PaymentStatus.FAILED);
                metadata.put(payment, "error", java.util.Map.of("code", rejected.code(), "detail", rejected.detail()));
                audit.record(payment.userId, "billing.crypto_payment_failed", "payment", String.valueOf(paymentId),
                        rejected.code());
            });
        }
    }
}
