package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.server.common.number.BoundedDecimal;
import dev.gpuproxy.server.common.number.DecimalOutOfRange;
import java.math.BigDecimal;

/**
 * The offer list's query parameters, read and checked: a bad value is a 400 problem naming the parameter
 * ({@link InvalidParameter}), never a silently ignored filter.
 *
 * @param provider       only this provider's offers, or null for every enabled provider
 * @param minVramGb      least memory per GPU in GB
 * @param maxPricePerHour highest US dollars per hour
 * @param gpuModel       part of the GPU model name, any case
 * @param location       country code or part of the location
 * @param minReliability least reliability score, 0..1
 * @param sort           order of the list
 * @param limit          page size
 * @param offset         offers skipped before the page
 */
public record OfferFilter(
        String provider,
        Double minVramGb,
        BigDecimal maxPricePerHour,
        String gpuModel,
        String location,
        Double minReliability,
        OfferSort sort,
        int limit,
        int offset) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_OFFSET = 10_000;
    /** Offers asked of each provider at least, so sorting across providers has enough to choose from. */
    static final int MIN_FETCH = 64;
    private static final int MAX_TEXT = 100;
    private static final String DECIMAL = "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?";

    /** Reads the raw query parameters; null means "not given". */
    public static OfferFilter parse(String provider, String minVram, String maxPrice, String gpuModel, String location,
                                    String minReliability, String sort, String limit, String offset) {
        return new OfferFilter(
                text("provider", provider),
                number("min_vram", minVram, 0, 100_000, "a number of GB"),
                price(maxPrice),
                text("gpu_model", gpuModel),
                text("location", location),
                number("min_reliability", minReliability, 0, 1, "a number between 0 and 1"),
                sort(sort),
                integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
                integer("offset", offset, 0, 0, MAX_OFFSET));
    }

    /** What each provider is asked for: the filters, and enough offers to fill this page after sorting. */
    public OfferQuery providerQuery() {
        // Rounded up to a multiple of MIN_FETCH so that neighbouring pages share cached answers.
        int wanted = offset + limit;
        int fetch = Math.min(((wanted + MIN_FETCH - 1) / MIN_FETCH) * MIN_FETCH, MAX_OFFSET + MAX_LIMIT);
        return OfferQuery.builder()
                .minVramGb(minVramGb)
                .maxPricePerHour(maxPricePerHour)
                .gpuModel(gpuModel)
                .location(location)
                .minReliability(minReliability)
                .limit(Math.max(fetch, MIN_FETCH))
                .build();
    }

    private static String given(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String text(String name, String value) {
        String text = given(value);
        if (text != null && text.length() > MAX_TEXT) {
            throw InvalidParameter.of(name, name + " must be at most " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static Double number(String name, String value, double min, double max, String what) {
        String text = given(value);
        if (text == null) {
            return null;
        }
        // Plain decimal notation only: Double.parseDouble would also take "NaN", "0x1p3" or "24d".
        double parsed = text.matches(DECIMAL) ? Double.parseDouble(text) : Double.NaN;
        if (Double.isNaN(parsed) || parsed < min || parsed > max) {
            throw InvalidParameter.of(name, name + " must be " + what + " from " + plain(min) + " to " + plain(max)
                    + " (got '" + abbreviate(text) + "')");
        }
        return parsed;
    }

    private static BigDecimal price(String value) {
        String text = given(value);
        if (text == null) {
            return null;
        }
        try {
            // Bounded before any comparison: "1e300000000" is short text but an enormous number.
            BigDecimal price = BoundedDecimal.parse("max_price", text);
            if (price.signum() >= 0 && price.compareTo(BigDecimal.valueOf(1_000_000)) <= 0) {
                return price;
            }
        } catch (NumberFormatException | DecimalOutOfRange e) {
            // reported below
        }
        throw InvalidParameter.of("max_price", "max_price must be US dollars per hour, at least 0 (got '" + abbreviate(text) + "')");
    }

    private static OfferSort sort(String value) {
        String text = given(value);
        if (text == null) {
            return OfferSort.PRICE;
        }
        return OfferSort.fromApiName(text).orElseThrow(() -> InvalidParameter.of("sort",
                "sort must be one of " + OfferSort.apiNames() + " (got '" + abbreviate(text) + "')"));
    }

    private static int integer(String name, String value, int defaultValue, int min, int max) {
        String text = given(value);
        if (text == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(text);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidParameter.of(name, name + " must be a whole number from " + min + " to " + max
                + " (got '" + abbreviate(text) + "')");
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
