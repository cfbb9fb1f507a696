package dev.gpuproxy.cli.client.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the caller's payments, newest first. */
@Command(name = "transactions",
        description = "List your payments (Stripe, crypto, AfterDark), newest first.",
        footer = {
            "  gpuproxy-client transactions",
            "  gpuproxy-client transactions --status pending --format json"
        })
public final class TransactionsCommand extends ApiCommand {

    @Option(names = "--status", paramLabel = "<status>",
            description = "Only payments in this state (pending, succeeded, failed, refunded, disputed, canceled).")
    String status;

    @Option(names = "--limit", paramLabel = "<n>", description = "Payments per page (default: the server's).")
    Integer limit;

    @Option(names = "--offset", paramLabel = "<n>", description = "Payments to skip (default: 0).")
    Integer offset;

    @Override
    protected void execute() {
        if (limit != null && limit < 1) {
            throw usageError("--limit must be at least 1 (got " + limit + ")");
        }
        if (offset != null && offset < 0) {
            throw usageError("--offset must not be negative (got " + offset + ")");
        }
        JsonNode page = api().get("/api/v1/billing/transactions",
                ApiClient.body("status", status, "limit", limit, "offset", offset));
        if (output().isJson()) {
            output().json(page);
            return;
        }
        JsonNode payments = page.path("data");
        if (payments.isEmpty()) {
            output().note("No payments. Buy credits with '" + toolName() + " pay <amount> --provider <provider>'.");
            return;
        }
        Table table = Table.withColumns("ID", "Provider", "Status", "Amount", "Currency", "Credits", "Created");
        for (JsonNode payment : payments) {
            table.row(Json.text(payment, "id"), Json.text(payment, "provider"), Json.text(payment, "status"),
                    Json.text(payment, "amount"), Json.text(payment, "currency"), Json.text(payment, "credits"),
                    Json.text(payment, "created_at"));
        }
        output().table(table);
        long total = page.path("total").asLong(payments.size());
        long first = page.path("offset").asLong(0);
        if (total > first + payments.size()) {
            output().note("Payments " + (first + 1) + "-" + (first + payments.size()) + " of " + total
                    + "; use --offset " + (first + payments.size()) + " for the next page.");
        }
    }
}
