package dev.gpuproxy.cli.client.gpu;

import dev.gpuproxy.api.model.GpuOffer;
import dev.gpuproxy.api.model.OfferListing;
import dev.gpuproxy.api.model.ProviderError;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.PageOptions;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Output;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    /** The most offers the server lists on one page. */
    private static final int MAX_LIMIT = 500;
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

    @Mixin
    PageOptions paging;

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
        paging.check(MAX_LIMIT);
        Reply<OfferListing> reply = api().get(Offers.INSTANCES, ApiClient.body("provider", provider,
                "min_vram", plain(minVram), "max_price", plain(maxPrice), "gpu_model", gpu, "location", location,
                "min_reliability", plain(minReliability), "sort", sort, "limit", paging.limit(),
                "offset", paging.offset()), OfferListing.class);
        Output output = output();
        if (output.isJson()) {
            output.json(reply.json());
            return;
        }
        OfferListing listing = reply.value();
        for (ProviderError error : listing.errors()) {
            output.note("warning: provider " + orDash(error.provider()) + " did not answer: "
                    + orDash(error.message()));
        }
        List<GpuOffer> offers = listing.offers();
        if (offers.isEmpty()) {
            output.note("No offers match.");
            return;
        }
        output.table(Offers.offerTable(offers));
        long total = Objects.requireNonNullElse(listing.total(), (long) offers.size());
        long first = paging.offset() == null ? 0 : paging.offset();
        if (total > offers.size()) {
            PageOptions.nextPageNote(output, "Offers", first, offers.size(), total);
        }
        output.note("Rent one with '" + toolName() + " create <provider> <offer>'.");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
