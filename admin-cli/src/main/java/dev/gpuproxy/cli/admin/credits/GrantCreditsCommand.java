package dev.gpuproxy.cli.admin.credits;

import dev.gpuproxy.api.model.LedgerEntry;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Grants credits to a user (or adjusts them either way) as one audited ledger entry. Every run sends an
 * Idempotency-Key; pass your own so that a retried script grants once.
 */
@Command(name = "grant",
        description = {"Give a user credits; recorded in the ledger and the audit log with the reason.",
            "", "--adjust books a correction instead, which may be negative."},
        footer = {
            "  gpuproxy-admin credits grant alice@example.com 25 --reason \"trial\"",
            "  gpuproxy-admin credits grant alice@example.com -- -3.5 --adjust --reason \"refund ticket 812\"",
            "  gpuproxy-admin credits grant alice@example.com 100 --reason promo --idempotency-key promo-2026-alice"
        })
public final class GrantCreditsCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "<email>", description = "The user's email.")
    String email;

    @Parameters(index = "1", paramLabel = "<amount>", description = "Credits, up to six decimal places.")
    BigDecimal amount;

    @Option(names = "--reason", required = true, paramLabel = "<text>", description = "Why (kept in the audit log).")
    String reason;

    @Option(names = "--adjust", description = "Book an adjustment (either sign) instead of a grant.")
    boolean adjust;

    @Option(names = "--idempotency-key", paramLabel = "<key>",
            description = "Reuse to retry safely: the same key grants once (default: a fresh key per run).")
    String idempotencyKey;

    @Override
    protected void execute() {
        requireEmail(email);
        if (!adjust && amount.signum() <= 0) {
            throw usageError("a grant must be positive (got " + amount.toPlainString()
                    + "); use --adjust to take credits away");
        }
        if (amount.stripTrailingZeros().scale() > 6) {
            throw usageError("credits have at most six decimal places (got " + amount.toPlainString() + ")");
        }
        if (reason.isBlank()) {
            throw usageError("--reason must not be blank");
        }
        ApiClient api = api();
        Reply<LedgerEntry> reply = api.post(userPath(userByEmail(api, email), "/credits"),
                ApiClient.body("amount", amount, "kind", adjust ? "adjustment" : "grant", "reason", reason),
                Map.of("Idempotency-Key", idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString()),
                LedgerEntry.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        LedgerEntry entry = reply.value();
        output().details(new Details()
                .add("User", email)
                .add("Entry", entry.id())
                .add("Kind", entry.kind())
                .add("Amount", entry.amount())
                .add("Balance after", entry.balanceAfter())
                .add("Reason", entry.reference())
                .add("Created", entry.createdAt()));
    }
}
