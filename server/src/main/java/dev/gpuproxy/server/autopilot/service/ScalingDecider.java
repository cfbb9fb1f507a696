package dev.gpuproxy.server.autopilot.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The autopilot's rule, free of I/O so it can be tested on its own: given a pool's GPUs and load, rent, release one,
 * or hold. It does not flap: a GPU is rented when the load exceeds what the GPUs (ready or starting) carry at
 * {@code target_in_flight} each, but released only when the load would fit into one GPU fewer at half that target
 * (hysteresis), only after {@code idle_release} without a request, only one per round, never below {@code min},
 * and never within the cooldown after a rental. Load-driven rentals are also spaced by the cooldown; rentals to
 * reach {@code min} or to start from zero are not.
 */
public final class ScalingDecider {

    private ScalingDecider() {
    }

    /** The knobs the decision uses. */
    public record Limits(int min, int max, int targetInFlight, Duration idleRelease, Duration cooldown) {}

    /**
     * One ready GPU.
     *
     * @param instanceId the rented instance's row id
     * @param inFlight   requests in flight on it
     * @param idleSince  since when it has had no request (its last request, or when it became ready)
     */
    public record ReadyGpu(long instanceId, int inFlight, Instant idleSince) {}

    /**
     * The pool at one moment.
     *
     * @param ready      GPUs serving the pool
     * @param starting   GPUs rented but not ready yet
     * @param inFlight   requests in flight on the pool
     * @param waiting    requests waiting for a GPU
     * @param lastRental when the last GPU was rented for this pool, or null
     */
    public record PoolLoad(List<ReadyGpu> ready, int starting, int inFlight, int waiting, Instant lastRental) {

        int gpus() {
            return ready.size() + starting;
        }

        int demand() {
            return inFlight + waiting;
        }
    }

    /** What to do, and why (shown in the admin API). */
    public sealed interface Decision {
        String reason();

        record Rent(int count, String reason) implements Decision {}

        record Release(long instanceId, String reason) implements Decision {}

        record Hold(String reason) implements Decision {}
    }

    public static Decision decide(Limits limits, PoolLoad load, Instant now) {
        int gpus = load.gpus();
        int demand = load.demand();
        if (gpus < limits.min()) {
            return new Decision.Rent(limits.min() - gpus, gpus + " GPUs, below min " + limits.min());
        }
        if (gpus == 0 && demand > 0 && limits.max() > 0) {
            return new Decision.Rent(1, "scale from zero: " + load.waiting() + " requests waiting and no GPU");
        }
        long capacity = (long) gpus * limits.targetInFlight();
        if (demand > capacity && gpus < limits.max()) {
            if (coolingDown(limits, load, now)) {
                return new Decision.Hold(demand + " requests over capacity " + capacity + ", but in cooldown after the"
                        + " last rental");
            }
            int wanted = (int) Math.min(limits.max(), ceilDiv(demand, limits.targetInFlight()));
            return new Decision.Rent(Math.max(1, wanted - gpus), demand + " requests in flight or waiting > "
                    + limits.targetInFlight() + " per GPU x " + gpus + " GPUs");
        }
        Optional<ReadyGpu> idle = load.ready().stream()
                .filter(gpu -> gpu.inFlight() == 0 && !gpu.idleSince().plus(limits.idleRelease()).isAfter(now))
                .min(Comparator.comparing(ReadyGpu::idleSince));
        if (idle.isPresent() && gpus > limits.min()) {
            // Hysteresis: release only if what remains carries the load at half the target, so the next request
            // does not rent the GPU straight back.
            double remaining = (gpus - 1) * limits.targetInFlight() / 2.0;
            if (demand > remaining) {
                return new Decision.Hold("GPU " + idle.get().instanceId() + " is idle, but " + demand
                        + " requests would not fit comfortably into " + (gpus - 1) + " GPUs");
            }
            if (coolingDown(limits, load, now)) {
                return new Decision.Hold("GPU " + idle.get().instanceId() + " is idle, but in cooldown after the last"
                        + " rental");
            }
            return new Decision.Release(idle.get().instanceId(), "idle for at least " + limits.idleRelease().toMillis()
                    + " ms; " + demand + " requests fit into " + (gpus - 1) + " GPUs");
        }
        return new Decision.Hold(demand + " requests on " + gpus + " GPUs (target " + limits.targetInFlight()
                + " per GPU)");
    }

    private static boolean coolingDown(Limits limits, PoolLoad load, Instant now) {
        return load.lastRental() != null && load.lastRental().plus(limits.cooldown()).isAfter(now);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
