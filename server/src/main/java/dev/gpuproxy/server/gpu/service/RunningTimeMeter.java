package dev.gpuproxy.server.gpu.service;

import java.time.Duration;
import java.time.Instant;

/**
 * The arithmetic of per-minute GPU-time charging. An instance's {@code charged_until} marks how far its running time
 * has been charged; each poll charges the whole minutes since then and moves the mark by exactly those minutes, so the
 * partial minute is carried to the next poll and nothing is lost or charged twice however often the poller runs.
 */
public final class RunningTimeMeter {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private RunningTimeMeter() {
    }

    /**
     * Running time due.
     *
     * @param minutes      whole minutes to charge (0: nothing due yet)
     * @param chargedUntil the new mark after charging them
     */
    public record Due(long minutes, Instant chargedUntil) {

        public Duration period() {
            return MINUTE.multipliedBy(minutes);
        }

        public boolean any() {
            return minutes > 0;
        }
    }

    /** While the instance runs: the whole minutes since {@code chargedUntil}; the rest waits for the next poll. */
    public static Due whileRunning(Instant chargedUntil, Instant now) {
        long minutes = elapsed(chargedUntil, now).toMinutes();
        return new Due(minutes, chargedUntil.plus(MINUTE.multipliedBy(minutes)));
    }

    /** When running stops (released, stopped, gone): a started minute is charged as a whole one. */
    public static Due atEnd(Instant chargedUntil, Instant now) {
        Duration elapsed = elapsed(chargedUntil, now);
        long minutes = elapsed.toMinutes() + (elapsed.toNanos() % MINUTE.toNanos() == 0 ? 0 : 1);
        return new Due(minutes, chargedUntil.plus(MINUTE.multipliedBy(minutes)));
    }

    /** One key per instance and starting point, so a repeated charge of the same period is recognised. */
    public static String idempotencyKey(long instanceRowId, Instant from) {
        return "gpu-time:" + instanceRowId + ":" + from.toEpochMilli();
    }

    /** A clock that is behind the mark (another replica charged ahead) means nothing is due. */
    private static Duration elapsed(Instant chargedUntil, Instant now) {
        Duration elapsed = Duration.between(chargedUntil, now);
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }
}
