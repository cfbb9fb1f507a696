package dev.gpuproxy.lb;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One inference endpoint and its live state, updated by every request that goes through it: in-flight count, lifetime
 * requests, peak-EWMA latency and time to first token, how many it serves at once, consecutive failures and ejection.
 * All counters are atomics or volatiles so strategies read them without locks.
 */
public final class Backend {

    /** Latency decays towards new samples over about ten seconds. */
    static final long EWMA_TAU_NANOS = 10_000_000_000L;
    static final int FAILURES_TO_EJECT = 5;
    static final long BASE_EJECTION_NANOS = 30_000_000_000L;
    static final long MAX_EJECTION_NANOS = 300_000_000_000L;

    private final long id;
    private final String url;
    private final URI uri;
    private final String kind;
    private final double weight;
    private final BackendSpec spec;
    private final KeyPool keys;
    /** Models this backend answered 404 for: not sent there again. */
    private final java.util.Set<String> modelsNotServed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private final PeakEwma latency;
    private final PeakEwma ttft;
    private final ObservedConcurrency concurrency;
    private volatile long ejectedUntilNanos;
    private volatile long lastUsedNanos;
    /** Moving average of output tokens per second of answers that reported tokens; 0 until one has. */
    private volatile double outputTokensPerSecond;
    private volatile long outputStampNanos;

    public Backend(long id, String url, String kind, double weight, long nowNanos) {
        this(new BackendSpec(id, kind, url, java.util.List.of(), weight, null, null, null, null, null, null, "test"),
                nowNanos);
    }

    public Backend(BackendSpec spec, long nowNanos) {
        this.spec = spec;
        this.id = spec.id();
        this.url = spec.url();
        this.uri = parse(url);
        this.kind = spec.kind();
        this.weight = spec.effectiveWeight();
        this.keys = new KeyPool(spec.apiKeys().stream()
                .map(secret -> new BackendKey(secret, spec.rateLimitRpm(), nowNanos)).toList());
        // A new backend starts with a modest latency estimate so it gets traffic and is measured quickly.
        this.latency = new PeakEwma(EWMA_TAU_NANOS, 1_000_000, nowNanos);
        this.ttft = new PeakEwma(EWMA_TAU_NANOS, 1_000_000, nowNanos);
        this.concurrency = new ObservedConcurrency(nowNanos);
    }

    public long id() {
        return id;
    }

    public String url() {
        return url;
    }

    /** The URL parsed once, for a proxy that must not parse it per request; null when it is not a valid URI. */
    public URI uri() {
        return uri;
    }

    private static URI parse(String url) {
        try {
            return url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    public String kind() {
        return kind;
    }

    public BackendSpec spec() {
        return spec;
    }

    /** The backend's credentials (empty for a backend that needs none). */
    public KeyPool keys() {
        return keys;
    }

    public boolean serves(String model) {
        return model == null || !modelsNotServed.contains(model);
    }

    /** The backend answered 404 for this model: route it elsewhere from now on. */
    public void doesNotServe(String model) {
        if (model != null) {
            modelsNotServed.add(model);
        }
    }

    public double weight() {
        return weight;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.get();
    }

    public long errors() {
        return errors.get();
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Peak-EWMA latency in nanoseconds. */
    public double latencyNanos() {
        return latency.value();
    }

    /** Peak-EWMA time to first byte of streamed answers, in nanoseconds. */
    public double ttftNanos() {
        return ttft.value();
    }

    /** How many requests this backend was seen serving at once at good latency (1 until it showed more). */
    public int concurrency() {
        return concurrency.value();
    }

    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    public int ejections() {
        return ejections.get();
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    public boolean isEjected(long nowNanos) {
        return ejectedUntilNanos > nowNanos;
    }

    /** Call when a request is sent to this backend; pair with exactly one of the outcome methods. */
    public void start(long nowNanos) {
        concurrency.started(inFlight.incrementAndGet(), nowNanos);
        requests.incrementAndGet();
        lastUsedNanos = nowNanos;
    }

    /** The backend answered (any status it is not blamed for); {@code latencyNanos} is the full response time. */
    public void succeeded(long latencyNanos, long nowNanos) {
        inFlight.decrementAndGet();
        latency.observe(latencyNanos, nowNanos);
        concurrency.answered(latencyNanos, nowNanos);
        consecutiveFailures.set(0);
        if (ejectedUntilNanos != 0) {
            ejectedUntilNanos = 0;
            ejections.set(0);
        }
    }

    /**
     * An answer produced {@code tokens} output tokens in {@code elapsedNanos} (request to last byte): the backend's
     * measured speed, which {@code cost_per_token} divides its price by. Answers without tokens say nothing.
     */
    public void outputTokens(long tokens, long elapsedNanos, long nowNanos) {
        if (tokens <= 0 || elapsedNanos <= 0) {
            return;
        }
        double sample = tokens * 1e9 / elapsedNanos;
        double current = outputTokensPerSecond;
        if (current == 0) {
            outputTokensPerSecond = sample;
        } else {
            double w = Math.exp(-Math.max(0, nowNanos - outputStampNanos) / (double) EWMA_TAU_NANOS);
            outputTokensPerSecond = current * w + sample * (1 - w);
        }
        outputStampNanos = nowNanos;
    }

    /** Measured output tokens per second; 0 while unmeasured. */
    public double outputTokensPerSecond() {
        return outputTokensPerSecond;
    }

    /**
     * US dollars per million output tokens at the measured speed: price per hour / (tokens per second x 3600) x 1e6.
     * NaN when either the price or the speed is unknown.
     */
    public double costPerMillionTokens() {
        double tps = outputTokensPerSecond;
        if (spec.pricePerHour() == null || tps <= 0) {
            return Double.NaN;
        }
        return spec.pricePerHour().doubleValue() / (tps * 3600) * 1e6;
    }

    /** First byte of a streamed answer arrived after {@code ttftNanos}. */
    public void firstByte(long ttftNanos, long nowNanos) {
        ttft.observe(ttftNanos, nowNanos);
    }

    /**
     * The attempt failed. Connect errors and 5xx count towards ejection (and raise latency, so load-aware strategies
     * back off even before ejection); the other kinds only end the request.
     *
     * @param healthyOthers whether another backend of the pool is available: the last one is never ejected
     */
    public void failed(FailureKind kind, long elapsedNanos, long nowNanos, boolean healthyOthers) {
        inFlight.decrementAndGet();
        if (kind == FailureKind.CLIENT_ERROR) {
            return;
        }
        errors.incrementAndGet();
        if (kind != FailureKind.CONNECT && kind != FailureKind.SERVER_ERROR) {
            return;
        }
        latency.observe(Math.max(elapsedNanos, latency.value() * 2), nowNanos);
        int failures = consecutiveFailures.incrementAndGet();
        if (failures >= FAILURES_TO_EJECT && healthyOthers && !isEjected(nowNanos)) {
            int n = ejections.incrementAndGet();
            long duration = Math.min(MAX_EJECTION_NANOS, BASE_EJECTION_NANOS * n);
            ejectedUntilNanos = nowNanos + duration;
            consecutiveFailures.set(0);
        }
    }

    /** An active health check failed: eject as if the failure threshold was reached (unless it is the last one). */
    public void healthCheckFailed(long nowNanos, boolean healthyOthers) {
        if (healthyOthers && !isEjected(nowNanos)) {
            int n = ejections.incrementAndGet();
            ejectedUntilNanos = nowNanos + Math.min(MAX_EJECTION_NANOS, BASE_EJECTION_NANOS * n);
        }
    }

    /** An active health check passed: re-admit at once. */
    public void healthCheckPassed() {
        if (ejectedUntilNanos != 0) {
            ejectedUntilNanos = 0;
            ejections.set(0);
            consecutiveFailures.set(0);
        }
    }
}
