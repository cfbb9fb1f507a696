package dev.gpuproxy.server.billing.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code payments}: money a user pays through one processor, and the credits it is worth ({@code credits},
 * micro-credits). It is credited at most once (ledger key {@code payment:<id>:credit}).
 */
@Entity
@Table(name = "payments")
public class PaymentEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public long userId;

    /** stripe, crypto or afterdark. */
    @Column(name = "provider", nullable = false)
    public String provider;

    /** The processor's id: Stripe Checkout Session or PaymentIntent, transaction hash, AfterDark transaction. */
    @Column(name = "external_id")
    public String externalId;

    /** A second processor id (Stripe: the PaymentIntent of a Checkout Session; crypto: the deposit address). */
    @Column(name = "external_ref")
    public String externalRef;

    @Column(name = "status", nullable = false)
    public String status;

    /** The amount paid, a decimal string in {@code currency}. */
    @Column(name = "amount", nullable = false)
    public String amount;

    @Column(name = "currency", nullable = false)
    public String currency;

    @Column(name = "credits", nullable = false)
    public long credits;

    @Column(name = "credits_reversed", nullable = false)
    public long creditsReversed;

    /** Crypto: the coin or token the payer sends ({@code amount}/{@code currency} is the price). */
    @Column(name = "pay_currency")
    public String payCurrency;

    /** Crypto: the decimal amount of {@code payCurrency} quoted. */
    @Column(name = "pay_amount")
    public String payAmount;

    /** Crypto: the latest block timestamp at which a transfer still pays the quote. */
    @Column(name = "quote_expires_at")
    public Instant quoteExpiresAt;

    @Column(name = "payer")
    public String payer;

    @Column(name = "request_key")
    public String requestKey;

    @Column(name = "request_hash")
    public String requestHash;

    /** A JSON object: the answer given to the client, confirmations seen, processor details. */
    @Column(name = "metadata")
    public String metadata;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
