package dev.gpuproxy.server.lb.service;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's {@code autoscale} block, as BACKENDS_FILE and the admin API declare it: where to rent GPUs, how many, when,
 * and what to run on them. The balancer only carries it; the autopilot acts on it. Durations are written
 * {@code 500ms}, {@code 30s}, {@code 10m} or {@code 1h}.
 *
 * @param provider          provider ids to rent from (one, or a list); the cheapest eligible offer of any of them wins
 * @param min               GPUs kept even without traffic
 * @param max               GPUs never exceeded
 * @param targetInFlight    requests in flight per GPU: above it a GPU is rented, well below it one may go
 * @param idleRelease       a GPU without a request for this long is released (never below {@code min})
 * @param coldStartTimeout  how long a request waits for a GPU when none is ready, and how long a rented GPU may take
 *                          to become ready before it is given up
 * @param cooldown          least time between two load-driven rentals, and after a rental before any release
 * @param maxWaiting        requests that may wait for capacity at once per replica; more are refused with 503
 * @param offer             which offers are eligible
 * @param launch            what runs on a rented GPU
 * @param readinessPath     a new GPU joins the pool once this path answers 200
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record AutoscaleSpec(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> provider,
        Integer min,
        Integer max,
        @JsonProperty("target_in_flight") Integer targetInFlight,
        @JsonProperty("idle_release") String idleRelease,
        @JsonProperty("cold_start_timeout") String coldStartTimeout,
        String cooldown,
        @JsonProperty("max_waiting") Integer maxWaiting,
        OfferDecl offer,
        LaunchDecl launch,
        @JsonProperty("readiness_path") String readinessPath) {

    /** Eligible offers: GPU model, least memory per GPU in GB, highest price per hour in US dollars. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OfferDecl(@JsonProperty("gpu_model") String gpuModel, @JsonProperty("min_vram") Double minVram,
                            @JsonProperty("max_price") BigDecimal maxPrice) {}

    /** The container a rented GPU runs: image, the port it serves on, arguments and environment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LaunchDecl(String image, Integer port, String args, Map<String, String> env) {}

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    public AutoscaleSpec {
        provider = provider == null ? List.of() : List.copyOf(provider);
    }

    public int minGpus() {
        return min == null ? 0 : min;
    }

    public int maxGpus() {
        return max == null ? Math.max(1, minGpus()) : max;
    }

    public int targetInFlightPerGpu() {
        return targetInFlight == null ? 4 : targetInFlight;
    }

    public Duration idleReleaseAfter() {
        return duration(idleRelease, Duration.ofMinutes(10));
    }

    public Duration coldStartLimit() {
        return duration(coldStartTimeout, Duration.ofMinutes(10));
    }

    public Duration cooldownPeriod() {
        return duration(cooldown, Duration.ofSeconds(30));
    }

    public int maxWaitingRequests() {
        return maxWaiting == null ? 100 : maxWaiting;
    }

    public int port() {
        return launch == null || launch.port() == null ? 8000 : launch.port();
    }

    public String readiness() {
        String path = readinessPath == null || readinessPath.isBlank() ? "/v1/models" : readinessPath.trim();
        return path.startsWith("/") ? path : "/" + path;
    }

    /**
     * Checks the declaration as a whole.
     *
     * @param where names the pool in messages
     * @return this
     * @throws IllegalArgumentException saying what is wrong
     */
    public AutoscaleSpec validated(String where) {
        if (provider.isEmpty()) {
            throw new IllegalArgumentException(where + ": autoscale needs a provider (e.g. vastai, or a list)");
        }
        if (minGpus() < 0 || maxGpus() < 1 || maxGpus() > 64 || minGpus() > maxGpus()) {
            throw new IllegalArgumentException(where + ": autoscale needs 0 <= min <= max, 1 <= max <= 64 (got min "
                    + minGpus() + ", max " + maxGpus() + ")");
        }
        if (targetInFlightPerGpu() < 1 || targetInFlightPerGpu() > 10_000) {
            throw new IllegalArgumentException(where + ": autoscale target_in_flight must be between 1 and 10000");
        }
        if (maxWaitingRequests() < 0 || maxWaitingRequests() > 100_000) {
            throw new IllegalArgumentException(where + ": autoscale max_waiting must be between 0 and 100000");
        }
        if (launch == null || launch.image() == null || launch.image().isBlank()) {
            throw new IllegalArgumentException(where + ": autoscale needs launch.image, the container to run");
        }
        if (port() < 1 || port() > 65_535) {
            throw new IllegalArgumentException(where + ": autoscale launch.port must be a TCP port");
        }
        if (offer != null && offer.maxPrice() != null
                && (offer.maxPrice().signum() <= 0 || offer.maxPrice().precision() > 12 || offer.maxPrice().scale() > 6)) {
            throw new IllegalArgumentException(where + ": autoscale offer.max_price must be a positive price in "
                    + "dollars per hour with at most 6 decimals");
        }
        idleReleaseAfter();
        coldStartLimit();
        cooldownPeriod();
        return this;
    }

    /** The same declaration with the launch environment's values masked, for showing: they may be secrets. */
    public AutoscaleSpec masked() {
        if (launch == null || launch.env() == null || launch.env().isEmpty()) {
            return this;
        }
        Map<String, String> names = new java.util.TreeMap<>();
        launch.env().keySet().forEach(name -> names.put(name, "***"));
        return new AutoscaleSpec(provider, min, max, targetInFlight, idleRelease, coldStartTimeout, cooldown, maxWaiting,
                offer, new LaunchDecl(launch.image(), launch.port(), launch.args(), names), readinessPath);
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}; null or blank gives {@code fallback}. */
    static Duration duration(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 30s, 10m or 1h");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
