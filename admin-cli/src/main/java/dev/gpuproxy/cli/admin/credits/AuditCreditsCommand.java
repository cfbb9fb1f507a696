package dev.gpuproxy.cli.admin.credits;

import dev.gpuproxy.api.model.CreditAudit;
import dev.gpuproxy.api.model.WalletMismatch;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** Asks the server to check every wallet against the sum of its ledger; fails (exit 1) on a mismatch. */
@Command(name = "audit",
        description = {"Check that every wallet equals the sum of its ledger entries.",
            "", "Exits with 1 when a wallet does not match, so it can run from cron or CI."},
        footer = {
            "  gpuproxy-admin credits audit",
            "  gpuproxy-admin credits audit --format json | jq .mismatches"
        })
public final class AuditCreditsCommand extends AdminApiCommand {

    @Override
    protected void execute() {
        Reply<CreditAudit> reply = api().get("/api/v1/admin/credits/audit", CreditAudit.class);
        CreditAudit report = reply.value();
        List<WalletMismatch> mismatches = report.mismatches();
        if (output().isJson()) {
            output().json(reply.json());
        } else {
            output().details(new Details()
                    .add("Wallets checked", report.walletsChecked())
                    .add("Consistent", report.consistent()));
            if (!mismatches.isEmpty()) {
                Table table = Table.withColumns("User", "Wallet balance", "Ledger sum");
                for (WalletMismatch mismatch : mismatches) {
                    table.row(mismatch.userId(), mismatch.walletBalance(), mismatch.ledgerSum());
                }
                output().line("");
                output().table(table);
            }
        }
        boolean consistent = report.consistent() == null ? mismatches.isEmpty() : report.consistent();
        if (!consistent) {
            throw new CliException(mismatches.size() + " wallet(s) do not match their ledger");
        }
    }
}
