package dev.gpuproxy.server.credit.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the append-only {@code ledger_entries}: one change of one balance. Never updated or deleted. */
@Entity
@Table(name = "ledger_entries")
public class LedgerEntryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    /** Micro-credits; positive adds to the balance. */
    @Column(name = "amount", nullable = false)
    public long amount;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "reference")
    public String reference;

    @Column(name = "idempotency_key", nullable = false, unique = true)
    public String idempotencyKey;

    @Column(name = "balance_after", nullable = false)
    public long balanceAfter;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
