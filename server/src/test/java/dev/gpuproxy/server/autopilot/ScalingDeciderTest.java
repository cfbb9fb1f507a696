package dev.gpuproxy.server.autopilot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.autopilot.service.ScalingDecider;
import dev.gpuproxy.server.autopilot.service.ScalingDecider.Decision;
import dev.gpuproxy.server.autopilot.service.ScalingDecider.PoolLoad;
import dev.gpuproxy.server.autopilot.service.ScalingDecider.ReadyGpu;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The autopilot's rule: min/max, scale from zero, hysteresis, cooldown, idle release. */
class ScalingDeciderTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final ScalingDecider.Limits LIMITS = new ScalingDecider.Limits(0, 4, 4, Duration.ofMinutes(10),
            Duration.ofSeconds(30));

    private static ReadyGpu busy(long id, int inFlight) {
        return new ReadyGpu(id, inFlight, NOW);
    }

    private static ReadyGpu idleFor(long id, Duration idle) {
        return new ReadyGpu(id, 0, NOW.minus(idle));
    }

    private static Decision decide(ScalingDecider.Limits limits, List<ReadyGpu> ready, int starting, int inFlight,
                                   int waiting, Instant lastRental) {
        return ScalingDecider.decide(limits, new PoolLoad(ready, starting, inFlight, waiting, lastRental), NOW);
    }

    @Test
    void aWaitingRequestRentsTheFirstGpuOfAnEmptyPool() {
        Decision d = decide(LIMITS, List.of(), 0, 0, 1, null);
        assertThat(d).isInstanceOf(Decision.Rent.class);
        assertThat(((Decision.Rent) d).count()).isEqualTo(1);
        assertThat(d.reason()).contains("scale from zero");
    }

    @Test
    void anEmptyPoolWithoutTrafficStaysEmpty() {
        assertThat(decide(LIMITS, List.of(), 0, 0, 0, null)).isInstanceOf(Decision.Hold.class);
    }

    @Test
    void aStartingGpuCountsAsCapacitySoOneRequestRentsOnlyOne() {
        assertThat(decide(LIMITS, List.of(), 1, 0, 3, NOW.minusSeconds(1))).isInstanceOf(Decision.Hold.class);
    }

    @Test
    void minIsRentedEvenWithoutTrafficAndEvenInCooldown() {
        ScalingDecider.Limits min2 = new ScalingDecider.Limits(2, 4, 4, Duration.ofMinutes(10), Duration.ofSeconds(30));
        Decision d = decide(min2, List.of(), 0, 0, 0, NOW.minusSeconds(1));
        assertThat(d).isInstanceOf(Decision.Rent.class);
        assertThat(((Decision.Rent) d).count()).isEqualTo(2);
    }

    @Test
    void loadAboveTargetRentsEnoughGpusAtOnceButNeverBeyondMax() {
        Decision d = decide(LIMITS, List.of(busy(1, 4)), 0, 4, 9, NOW.minusSeconds(60));
        // 13 requests at 4 per GPU want 4 GPUs: 3 more.
        assertThat(d).isInstanceOf(Decision.Rent.class);
        assertThat(((Decision.Rent) d).count()).isEqualTo(3);

        Decision atMax = decide(LIMITS, List.of(busy(1, 10), busy(2, 10), busy(3, 10), busy(4, 10)), 0, 40, 0,
                NOW.minusSeconds(60));
        assertThat(atMax).isInstanceOf(Decision.Hold.class);
    }

    @Test
    void loadDrivenRentalsWaitForTheCooldown() {
        Decision d = decide(LIMITS, List.of(busy(1, 6)), 0, 6, 0, NOW.minusSeconds(10));
        assertThat(d).isInstanceOf(Decision.Hold.class);
        assertThat(d.reason()).contains("cooldown");
        assertThat(decide(LIMITS, List.of(busy(1, 6)), 0, 6, 0, NOW.minusSeconds(31))).isInstanceOf(Decision.Rent.class);
    }

    @Test
    void anIdleGpuIsReleasedAfterIdleRelease() {
        Decision d = decide(LIMITS, List.of(idleFor(7, Duration.ofMinutes(11))), 0, 0, 0, NOW.minusSeconds(3600));
        assertThat(d).isEqualTo(new Decision.Release(7, d.reason()));
    }

    @Test
    void aGpuIdleForLessThanIdleReleaseStays() {
        assertThat(decide(LIMITS, List.of(idleFor(7, Duration.ofMinutes(9))), 0, 0, 0, NOW.minusSeconds(3600)))
                .isInstanceOf(Decision.Hold.class);
    }

    @Test
    void neverReleasesBelowMin() {
        ScalingDecider.Limits min1 = new ScalingDecider.Limits(1, 4, 4, Duration.ofMinutes(10), Duration.ofSeconds(30));
        assertThat(decide(min1, List.of(idleFor(7, Duration.ofHours(2))), 0, 0, 0, NOW.minusSeconds(7200)))
                .isInstanceOf(Decision.Hold.class);
    }

    @Test
    void hysteresisKeepsAnIdleGpuWhileTheRestWouldBeNearTheirTarget() {
        // 3 GPUs, 6 requests in flight on two of them; the third has been idle long enough. Two GPUs would carry 6 at
        // the target of 4 each, so a rental would not follow at once, but not at half the target: keep it.
        List<ReadyGpu> gpus = List.of(busy(1, 3), busy(2, 3), idleFor(3, Duration.ofMinutes(20)));
        assertThat(decide(LIMITS, gpus, 0, 6, 0, NOW.minusSeconds(3600))).isInstanceOf(Decision.Hold.class);
        // With 4 requests in flight, two GPUs at half the target carry them: the idle one goes.
        List<ReadyGpu> lighter = List.of(busy(1, 2), busy(2, 2), idleFor(3, Duration.ofMinutes(20)));
        assertThat(decide(LIMITS, lighter, 0, 4, 0, NOW.minusSeconds(3600))).isInstanceOf(Decision.Release.class);
    }

    @Test
    void noReleaseWithinTheCooldownOfARental() {
        assertThat(decide(LIMITS, List.of(busy(1, 0), idleFor(2, Duration.ofMinutes(20))), 0, 0, 0,
                NOW.minusSeconds(5))).isInstanceOf(Decision.Hold.class);
    }

    @Test
    void releasesOneGpuPerRoundTheLongestIdleFirst() {
        List<ReadyGpu> gpus = List.of(idleFor(1, Duration.ofMinutes(15)), idleFor(2, Duration.ofMinutes(40)),
                idleFor(3, Duration.ofMinutes(12)));
        Decision d = decide(LIMITS, gpus, 0, 0, 0, NOW.minusSeconds(3600));
        assertThat(d).isInstanceOf(Decision.Release.class);
        assertThat(((Decision.Release) d).instanceId()).isEqualTo(2);
    }
}
