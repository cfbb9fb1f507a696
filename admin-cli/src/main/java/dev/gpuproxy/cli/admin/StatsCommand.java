package dev.gpuproxy.cli.admin;

import dev.gpuproxy.api.model.AdminStats;
import dev.gpuproxy.api.model.CreditTotals;
import dev.gpuproxy.api.model.InstanceCounts;
import dev.gpuproxy.api.model.Revenue;
import dev.gpuproxy.api.model.UsageTotals;
import dev.gpuproxy.api.model.UserCounts;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import java.util.Locale;
import java.util.Objects;
import picocli.CommandLine.Command;

/** Shows the platform overview of GET /api/v1/admin/stats: accounts, keys, GPUs, usage, credits and revenue. */
@Command(name = "stats",
        description = "Show users, API keys, GPU instances, reservations, usage, credits and revenue.",
        footer = {
            "  gpuproxy-admin stats",
            "  gpuproxy-admin stats --format json | jq .usage_24h"
        })
public final class StatsCommand extends AdminApiCommand {

    private static final UsageTotals NO_USAGE = new UsageTotals(null, null, null, null);

    @Override
    protected void execute() {
        Reply<AdminStats> reply = api().get("/api/v1/admin/stats", AdminStats.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        AdminStats stats = reply.value();
        UserCounts users = Objects.requireNonNullElse(stats.users(), new UserCounts(null, null, null));
        InstanceCounts instances = Objects.requireNonNullElse(stats.instances(), new InstanceCounts(null, null));
        UsageTotals day = Objects.requireNonNullElse(stats.usage24h(), NO_USAGE);
        CreditTotals credits = Objects.requireNonNullElse(stats.credits(), new CreditTotals(null, null, null));
        Details details = new Details()
                .add("Users", users.total())
                .add("Admins", users.admins())
                .add("Active users", users.active())
                .add("Active API keys", stats.activeApiKeys())
                .add("Running GPU instances", instances.running())
                .add("Active reservations", stats.activeReservations())
                .add("Requests (24 h)", day.requests())
                .add("Tokens in (24 h)", day.tokensIn())
                .add("Tokens out (24 h)", day.tokensOut())
                .add("GPU seconds (24 h)", day.gpuSeconds())
                .add("Requests (all time)", Objects.requireNonNullElse(stats.usage(), NO_USAGE).requests())
                .add("Credits sold", credits.sold())
                .add("Credits granted", credits.granted())
                .add("Credits spent", credits.spent());
        if (instances.runningByProvider() != null) {
            instances.runningByProvider().forEach((provider, running) -> details.add("Running on " + provider,
                    running == null ? "" : running));
        }
        for (Revenue revenue : stats.revenue()) {
            details.add("Revenue " + orEmpty(revenue.provider()), orEmpty(revenue.amount()) + " "
                    + orEmpty(revenue.currency()).toUpperCase(Locale.ROOT) + " (" + orEmpty(revenue.payments())
                    + " payments)");
        }
        output().details(details);
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }
}
