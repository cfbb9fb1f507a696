package dev.gpuproxy.server.credit.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code wallets}. Amounts are micro-credits. The balance (remaining minus overage) always equals the sum of
 * the user's ledger entries; holds for work in progress are ledger entries too, and {@code creditsReserved} says how
 * much of the balance's reduction is such holds.
 */
@Entity
@Table(name = "wallets")
public class WalletEntity {

    @Id
    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "credits_remaining", nullable = false)
    public long creditsRemaining;

    @Column(name = "credits_total", nullable = false)
    public long creditsTotal;

    @Column(name = "credits_overage", nullable = false)
    public long creditsOverage;

    @Column(name = "credits_cap", nullable = false)
    public long creditsCap;

    @Column(name = "credits_reserved", nullable = false)
    public long creditsReserved;

    @Column(name = "credits_auto_renew", nullable = false)
    public boolean autoRenew;

    @Column(name = "auto_renew_amount", nullable = false)
    public long autoRenewAmount;

    @Column(name = "auto_renew_threshold", nullable = false)
    public long autoRenewThreshold;

    @Column(name = "auto_renew_armed", nullable = false)
    public boolean autoRenewArmed;

    @Column(name = "version", nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Remaining minus overage: what the ledger adds up to. Negative while in overage. */
    public long balance() {
        return creditsRemaining - creditsOverage;
    }

    /** Sets remaining and overage from a balance. */
    public void setBalance(long balance) {
        creditsRemaining = Math.max(balance, 0);
        creditsOverage = Math.max(-balance, 0);
    }

    /** What can still be spent: the balance (holds are already deducted from it) plus the overage cap. */
    public long spendable() {
        return balance() + creditsCap;
    }
}
