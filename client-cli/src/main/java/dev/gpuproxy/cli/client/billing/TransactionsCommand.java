package dev.gpuproxy.cli.client.billing;

import dev.gpuproxy.api.model.Payment;
import dev.gpuproxy.api.model.PaymentPage;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.PageOptions;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    PageOptions paging;

    @Override
    protected void execute() {
        paging.check();
        Reply<PaymentPage> reply = api().get("/api/v1/billing/transactions",
                ApiClient.body("status", status, "limit", paging.limit(), "offset", paging.offset()),
                PaymentPage.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        List<Payment> payments = reply.value().data();
        if (payments.isEmpty()) {
            output().note("No payments. Buy credits with '" + toolName() + " pay <amount> --provider <provider>'.");
            return;
        }
        Table table = Table.withColumns("ID", "Provider", "Status", "Amount", "Currency", "Credits", "Created");
        for (Payment payment : payments) {
            table.row(payment.id(), payment.provider(), payment.status(), payment.amount(), payment.currency(),
                    payment.credits(), payment.createdAt());
        }
        output().table(table);
        long total = Objects.requireNonNullElse(reply.value().total(), (long) payments.size());
        long first = Objects.requireNonNullElse(reply.value().offset(), 0L);
        if (total > first + payments.size()) {
            PageOptions.nextPageNote(output(), "Payments", first, payments.size(), total);
        }
    }
}
