package dev.gpuproxy.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.output.Details;
import picocli.CommandLine.Command;

/** Shows the platform overview of GET /api/v1/admin/stats: accounts, keys, GPUs, usage, credits and revenue. */
@Command(name = "stats",
        description = "Show users, API keys, GPU instances, reservations, usage, credits and revenue.",
        footer = {
            "  gpuproxy-admin stats",
            "  gpuproxy-admin stats --format json | jq .usage_24h"
        })
public final class StatsCommand extends AdminApiCommand {

    @Override
    protected void execute() {
        JsonNode stats = api().get("/api/v1/admin/stats");
        if (output().isJson()) {
            output().json(stats);
            return;
        }
        Details details = new Details()
                .field("Users", stats.path("users"), "total")
                .field("Admins", stats.path("users"), "admins")
                .field("Active users", stats.path("users"), "active")
                .field("Active API keys", stats, "active_api_keys")
                .field("Running GPU instances", stats.path("instances"), "running")
                .field("Active reservations", stats, "active_reservations")
                .field("Requests (24 h)", stats.path("usage_24h"), "requests")
                .field("Tokens in (24 h)", stats.path("usage_24h"), "tokens_in")
                .field("Tokens out (24 h)", stats.path("usage_24h"), "tokens_out")
                .field("GPU seconds (24 h)", stats.path("usage_24h"), "gpu_seconds")
                .field("Requests (all time)", stats.path("usage"), "requests")
                .field("Credits sold", stats.path("credits"), "sold")
                .field("Credits granted", stats.path("credits"), "granted")
                .field("Credits spent", stats.path("credits"), "spent");
        stats.path("instances").path("running_by_provider").properties()
                .forEach(e -> details.add("Running on " + e.getKey(), e.getValue().asText()));
        for (JsonNode revenue : stats.path("revenue")) {
            details.add("Revenue " + revenue.path("provider").asText(), revenue.path("amount").asText() + " "
                    + revenue.path("currency").asText().toUpperCase(java.util.Locale.ROOT) + " ("
                    + revenue.path("payments").asText() + " payments)");
        }
        output().details(details);
    }
}
