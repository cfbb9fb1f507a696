package dev.gpuproxy.provider.spi;

import java.math.BigDecimal;

/**
 * Filters for {@link GpuProvider#listOffers}; every field is optional (null means "any").
 * Adapters push what the marketplace can filter on to its API and apply the rest themselves.
 *
 * @param minVramGb       least memory per GPU, in GB
 * @param maxPricePerHour highest price of the whole offer, in US dollars per hour
 * @param gpuModel        GPU model, e.g. {@code RTX 4090} (underscores are read as spaces, as the vast.ai CLI does)
 * @param location        country code ({@code US}) or part of a location name
 * @param minReliability  least reliability score between 0 and 1
 * @param gpuCount        exact number of GPUs per offer
 * @param limit           most offers to return
 */
public record OfferQuery(
        Double minVramGb,
        BigDecimal maxPricePerHour,
        String gpuModel,
        String location,
        Double minReliability,
        Integer gpuCount,
        Integer limit) {

    public OfferQuery {
        if (gpuCount != null && gpuCount < 1) {
            throw new IllegalArgumentException("gpuCount must be at least 1");
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    /** A query without filters. */
    public static OfferQuery any() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The limit, or {@code defaultLimit} when none was asked for. */
    public int limitOr(int defaultLimit) {
        return limit == null ? defaultLimit : limit;
    }

    /** Fluent construction, so callers name only the filters they use. */
    public static final class Builder {
        private Double minVramGb;
        private BigDecimal maxPricePerHour;
        private String gpuModel;
        private String location;
        private Double minReliability;
        private Integer gpuCount;
        private Integer limit;

        private Builder() {
        }

        public Builder minVramGb(Double value) {
            this.minVramGb = value;
            return this;
        }

        public Builder maxPricePerHour(BigDecimal value) {
            this.maxPricePerHour = value;
            return this;
        }

        public Builder gpuModel(String value) {
            this.gpuModel = value;
            return this;
        }

        public Builder location(String value) {
            this.location = value;
            return this;
        }

        public Builder minReliability(Double value) {
            this.minReliability = value;
            return this;
        }

        public Builder gpuCount(Integer value) {
            this.gpuCount = value;
            return this;
        }

        public Builder limit(Integer value) {
            this.limit = value;
            return this;
        }

        public OfferQuery build() {
            return new OfferQuery(minVramGb, maxPricePerHour, gpuModel, location, minReliability, gpuCount, limit);
        }
    }
}
