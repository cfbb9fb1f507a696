package dev.gpuproxy.cli.client.credits;

import dev.gpuproxy.api.model.LedgerEntry;
import dev.gpuproxy.api.model.LedgerPage;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
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
        Reply<LedgerPage> reply = api().get("/api/v1/credits/ledger", ApiClient.body("limit", limit, "before", before),
                LedgerPage.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        LedgerPage page = reply.value();
        if (page.data().isEmpty()) {
            output().note("No ledger entries.");
            return;
        }
        Table table = Table.withColumns("ID", "Kind", "Amount", "Balance after", "Reference", "Created");
        for (LedgerEntry entry : page.data()) {
            table.row(entry.id(), entry.kind(), entry.amount(), entry.balanceAfter(), entry.reference(),
                    entry.createdAt());
        }
        output().table(table);
        if (page.nextBefore() != null) {
            output().note("Older entries: use --before " + page.nextBefore() + ".");
        }
    }
}
