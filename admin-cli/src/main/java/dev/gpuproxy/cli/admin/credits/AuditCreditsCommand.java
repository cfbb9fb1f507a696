package dev.gpuproxy.cli.admin.credits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Details;
import dev.gpuproxy.cli.common.output.Table;
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
        JsonNode report = api().get("/api/v1/admin/credits/audit");
        JsonNode mismatches = report.path("mismatches");
        if (output().isJson()) {
            output().json(report);
        } else {
            output().details(new Details()
                    .field("Wallets checked", report, "wallets_checked")
                    .field("Consistent", report, "consistent"));
            if (!mismatches.isEmpty()) {
                Table table = Table.withColumns("User", "Wallet balance", "Ledger sum");
                for (JsonNode mismatch : mismatches) {
                    table.row(Json.text(mismatch, "user_id"), Json.text(mismatch, "wallet_balance"),
                            Json.text(mismatch, "ledger_sum"));
                }
                output().line("");
                output().table(table);
            }
        }
        if (!report.path("consistent").asBoolean(mismatches.isEmpty())) {
            throw new CliException(mismatches.size() + " wallet(s) do not match their ledger");
        }
    }
}
