package dev.gpuproxy.server.billing.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code billing_profiles}: the payment method a user last chose (for auto-renew) and their Stripe customer. */
@Entity
@Table(name = "billing_profiles")
public class BillingProfileEntity {

    @Id
    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "provider")
    public String provider;

    /** A Stripe PaymentMethod id (pm_...) or {@code account} for AfterDark's account on file; never card data. */
    @Column(name = "payment_method")
    public String paymentMethod;

    @Column(name = "stripe_customer_id")
    public String stripeCustomerId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
