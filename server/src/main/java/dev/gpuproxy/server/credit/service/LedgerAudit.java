package dev.gpuproxy.server.credit.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.repository.CreditRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.List;

/** Verifies the ledger invariant for every user: the stored wallet balance equals the sum of the ledger entries. */
@ApplicationScoped
public class LedgerAudit {

    private final CreditRepository repository;

    LedgerAudit(CreditRepository repository) {
        this.repository = repository;
    }

    public record Mismatch(@JsonProperty("user_id") long userId, @JsonProperty("wallet_balance") BigDecimal walletBalance,
                           @JsonProperty("ledger_sum") BigDecimal ledgerSum) {}

    public record Report(@JsonProperty("wallets_checked") long walletsChecked, boolean consistent,
                         List<Mismatch> mismatches) {}

    @Transactional
    public Report check() {
        List<Mismatch> mismatches = repository.walletsNotMatchingLedger().stream()
                .map(row -> new Mismatch(((Number) row[0]).longValue(), Credits.toDecimal(((Number) row[1]).longValue()),
                        Credits.toDecimal(((Number) row[2]).longValue())))
                .toList();
        return new Report(repository.countWallets(), mismatches.isEmpty(), mismatches);
    }
}
