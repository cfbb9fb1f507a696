package dev.gpuproxy.cli.client.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Output;
import java.math.BigDecimal;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists GPU offers of every enabled provider (or one), filtered and sorted by the server. */
@Command(name = "list",
        description = {"List GPU offers you can rent, cheapest first.",
            "", "Providers that fail to answer are named on stderr; the others are still listed."},
        footer = {
            "  gpuproxy-client list",
            "  gpuproxy-client list vastai --min-vram 80 --max-price 2.5 --gpu A100",
            "  gpuproxy-client list --location DE --sort dlperf_per_dollar --format json | jq '.offers[0].id'"
        })
public final class ListCommand extends ApiCommand {

    private static final Set<String> SORTS = Set.of("price", "vram", "dlperf_per_dollar");

    @Parameters(paramLabel = "<provider>", arity = "0..1",
            description = "Only this provider's offers (static, vastai or vast.ai, ionet or io.net, ...).")
    String provider;

    @Option(names = "--min-vram", paramLabel = "<GB>", description = "At least this much memory per GPU.")
    BigDecimal minVram;

    @Option(names = "--max-price", paramLabel = "<USD>", description = "At most this many US dollars per hour.")
    BigDecimal maxPrice;

    @Option(names = "--gpu", paramLabel = "<model>", description = "GPU model, any part of the name (RTX_4090, A100).")
    String gpu;

    @Option(names = "--location", paramLabel = "<where>",
            description = "Two letters = country code, else part of the place.")
    String location;

    @Option(names = "--min-reliability", paramLabel = "<0..1>", description = "Provider's reliability score.")
    BigDecimal minReliability;

    @Option(names = "--sort", paramLabel = "price|vram|dlperf_per_dollar", description = "Order (default: price).")
    String sort;

    @Option(names = "--limit", paramLabel = "<n>", description = "Offers per page, 1..500 (default: 50).")
    Integer limit;

    @Option(names = "--offset", paramLabel = "<n>", description = "Offers to skip (default: 0).")
    Integer offset;

    @Override
    protected void execute() {
        if (minVram != null && minVram.signum() < 0) {
            throw usageError("--min-vram must not be negative (got " + minVram.toPlainString() + ")");
        }
        if (maxPrice != null && maxPrice.signum() < 0) {
            throw usageError("--max-price must not be negative (got " + maxPrice.toPlainString() + ")");
        }
        if (sort != null && !SORTS.contains(sort)) {
            throw usageError("--sort must be one of price, vram, dlperf_per_dollar (got '" + sort + "')");
        }
        if (limit != null && (limit < 1 || limit > 500)) {
            throw usageError("--limit must be between 1 and 500 (got " + limit + ")");
        }
        JsonNode listing = api().get(Offers.INSTANCES, ApiClient.body("provider", provider,
                "min_vram", plain(minVram), "max_price", plain(maxPrice), "gpu_model", gpu, "location", location,
                "min_reliability", plain(minReliability), "sort", sort, "limit", limit, "offset", offset));
        Output output = output();
        if (output.isJson()) {
            output.json(listing);
            return;
        }
        for (JsonNode error : listing.path("errors")) {
            output.note("warning: provider " + Json.text(error, "provider") + " did not answer: "
                    + Json.text(error, "message"));
        }
        JsonNode offers = listing.path("offers");
        if (offers.isEmpty()) {
            output.note("No offers match.");
            return;
        }
        output.table(Offers.offerTable(offers));
        long total = listing.path("total").asLong(offers.size());
        long first = offset == null ? 0 : offset;
        if (total > offers.size()) {
            output.note("Offers " + (first + 1) + "-" + (first + offers.size()) + " of " + total + "; use --offset "
                    + (first + offers.size()) + " for the next page.");
        }
        output.note("Rent one with '" + toolName() + " create <provider> <offer>'.");
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
