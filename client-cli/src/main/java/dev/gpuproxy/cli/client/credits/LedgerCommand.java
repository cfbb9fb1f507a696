package dev.gpuproxy.cli.client.credits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Pages through the caller's credit ledger, newest first. */
@Command(name = "ledger",
        description = "Show your credit ledger: every top-up, grant, charge and refund, newest first.",
        footer = {
            "  gpuproxy-client ledger",
            "  gpuproxy-client ledger --limit 100 --before 4711",
            "  gpuproxy-client ledger --format json | jq '.data[] | select(.kind == \"usage\") | .amount'"
        })
public final class LedgerCommand extends ApiCommand {

    @Option(names = "--limit", paramLabel = "<n>", description = "Entries per page, 1..500 (default: 50).")
    Integer limit;

    @Option(names = "--before", paramLabel = "<id>", description = "Only entries older than this entry id.")
    Long before;

    @Override
    protected void execute() {
        if (limit != null && (limit < 1 || limit > 500)) {
            throw usageError("--limit must be between 1 and 500 (got " + limit + ")");
        }
        JsonNode page = api().get("/api/v1/credits/ledger", ApiClient.body("limit", limit, "before", before));
        if (output().isJson()) {
            output().json(page);
            return;
        }
        if (page.path("data").isEmpty()) {
            output().note("No ledger entries.");
            return;
        }
        Table table = Table.withColumns("ID", "Kind", "Amount", "Balance after", "Reference", "Created");
        for (JsonNode entry : page.path("data")) {
            table.row(Json.text(entry, "id"), Json.text(entry, "kind"), Json.text(entry, "amount"),
                    Json.text(entry, "balance_after"), Json.text(entry, "reference"), Json.text(entry, "created_at"));
        }
        output().table(table);
        if (page.hasNonNull("next_before")) {
            output().note("Older entries: use --before " + page.get("next_before").asText() + ".");
        }
    }
}
