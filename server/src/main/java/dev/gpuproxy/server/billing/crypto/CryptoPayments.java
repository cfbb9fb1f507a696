package dev.gpuproxy.server.billing.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.billing.repository.PaymentRepository;
import dev.gpuproxy.server.billing.service.BillingService;
import dev.gpuproxy.server.billing.service.PaymentLedger;
import dev.gpuproxy.server.billing.service.PaymentMetadata;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.billing.service.PaymentView;
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

/**
 * Turns a submitted transaction into credits: {@link ChainReader} judges it, then, in one short transaction, the hash
 * is claimed for the payment ({@code payments (provider, external_id)} is unique, so a hash pays one payment even when
 * two users submit it at once) and the payment is credited when deep enough. A payment short of confirmations stays
 * pending and is checked again in the background.
 */
@ApplicationScoped
public class CryptoPayments {

    private static final String PROVIDER = PaymentProvider.CRYPTO.id();

    /** The state of a crypto payment after a check. */
    public record Verification(PaymentView payment, @JsonProperty("tx_hash") String txHash, long confirmations,
                               @JsonProperty("required_confirmations") int requiredConfirmations) {}

    private final BillingConfig.Crypto config;
    private final CryptoProcessor processor;
    private final CryptoCurrencies currencies;
    private final ChainReader chain;
    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final PaymentMetadata metadata;
    private final AuditTrail audit;
    private final Clock clock;

    CryptoPayments(BillingConfig config, CryptoProcessor processor, CryptoCurrencies currencies, ChainReader chain,
                   PaymentRepository payments, PaymentLedger ledger, PaymentMetadata metadata, AuditTrail audit,
                   Clock clock) {
        this.config = config.crypto();
        this.processor = processor;
        this.currencies = currencies;
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
        ChainReader.Verdict verdict = chain.inspect(hash, processor.depositAddress(), expectation(snapshot));
        if (verdict instanceof ChainReader.Unknown) {
            throw new ApiException(422, "tx_not_found", "The Ethereum node does not know transaction " + hash
                    + " (chain " + config.chainId() + ")");
        }
        if (verdict instanceof ChainReader.Rejected rejected) {
            throw new ApiException(422, rejected.code(), rejected.detail());
        }
        long confirmations = ((ChainReader.Paying) verdict).confirmations();
        try {
            return QuarkusTransaction.requiringNew().call(() -> settle(paymentId, hash, confirmations));
        } catch (RuntimeException e) {
            if (BillingService.isConstraintViolation(e)) {
                throw txAlreadyUsed();
            }
            throw e;
        }
    }

    private static ApiException txAlreadyUsed() {
        return ApiException.conflict("tx_already_used", "This transaction already paid another payment");
    }

    private ChainReader.Expectation expectation(PaymentEntity payment) {
        CryptoCurrencies.Currency coin = currencies.find(payment.currency).orElseThrow(() -> new ApiException(409,
                "currency_not_accepted", payment.currency + " is no longer accepted (CRYPTO_TOKENS)"));
        return new ChainReader.Expectation(coin, processor.baseUnits(new BigDecimal(payment.amount), coin),
                payment.payer, payment.createdAt);
    }

    /** Claims the hash for the payment and credits it when deep enough; in the caller's new transaction. */
    private Verification settle(long paymentId, String hash, long confirmations) {
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
        payment.updatedAt = clock.instant();
        if (PaymentStatus.of(payment.status) == PaymentStatus.PENDING && confirmations >= config.confirmations()) {
            ledger.paid(payment);
        }
        payments.flush();
        return verification(payment);
    }

    private Verification verification(PaymentEntity payment) {
        return new Verification(PaymentView.of(payment), payment.externalId,
                metadata.read(payment).path("confirmations").asLong(0), config.confirmations());
    }

    /** Checks again every pending payment that names its transaction, crediting those now deep enough. */
    @Scheduled(every = "${billing.crypto.recheck-interval:${CRYPTO_RECHECK_INTERVAL:30s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recheckPending() {
        if (!processor.enabled()) {
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
        ChainReader.Verdict verdict = chain.inspect(snapshot.externalId, processor.depositAddress(), expectation(snapshot));
        if (verdict instanceof ChainReader.Paying paying) {
            QuarkusTransaction.requiringNew().call(() -> settle(paymentId, snapshot.externalId, paying.confirmations()));
        } else if (verdict instanceof ChainReader.Rejected rejected) {
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
