package dev.gpuproxy.lb;

/**
 * A peak-sensitive moving average of latency (Finagle's "peak EWMA"): a sample above the current value replaces it at
 * once, so one slow response is seen immediately; lower samples pull it down with a decay time of {@code tau}. Reads
 * and writes are racy by design: a lost sample under contention does not matter for balancing.
 */
public final class PeakEwma {

    private final double tauNanos;
    private volatile double value;
    private volatile long stampNanos;

    public PeakEwma(long tauNanos, double initial, long nowNanos) {
        this.tauNanos = tauNanos;
        this.value = initial;
        this.stampNanos = nowNanos;
    }

    public void observe(double sample, long nowNanos) {
        double current = value;
        if (sample > current) {
            value = sample;
        } else {
            double elapsed = Math.max(0, nowNanos - stampNanos);
            double w = Math.exp(-elapsed / tauNanos);
            value = current * w + sample * (1 - w);
        }
        stampNanos = nowNanos;
    }

    public double value() {
        return value;
    }
}
