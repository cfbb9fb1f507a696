package dev.gpuproxy.server.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunningTimeMeterTest {

    private static final Instant MARK = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void whileRunningChargesWholeMinutesAndCarriesThePartialMinute() {
        RunningTimeMeter.Due due = RunningTimeMeter.whileRunning(MARK, MARK.plusSeconds(150));

        assertThat(due.minutes()).isEqualTo(2);
        assertThat(due.period()).isEqualTo(Duration.ofMinutes(2));
        assertThat(due.chargedUntil()).isEqualTo(MARK.plusSeconds(120));
    }

    @Test
    void whileRunningLessThanAMinuteIsNotDueYet() {
        RunningTimeMeter.Due due = RunningTimeMeter.whileRunning(MARK, MARK.plusSeconds(59).plusMillis(999));

        assertThat(due.any()).isFalse();
        assertThat(due.chargedUntil()).isEqualTo(MARK);
    }

    @Test
    void pollsAtAnyRhythmAddUpToTheSameMinutes() {
        Instant mark = MARK;
        long charged = 0;
        Instant now = MARK;
        for (int poll = 0; poll < 40; poll++) {
            now = now.plusSeconds(17);
            RunningTimeMeter.Due due = RunningTimeMeter.whileRunning(mark, now);
            charged += due.minutes();
            mark = due.chargedUntil();
        }
        // 40 x 17 s = 680 s = 11 whole minutes, the remaining 20 s still to come.
        assertThat(charged).isEqualTo(11);
        assertThat(Duration.between(mark, now)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void atEndAStartedMinuteCountsAsWhole() {
        assertThat(RunningTimeMeter.atEnd(MARK, MARK.plusSeconds(61)).minutes()).isEqualTo(2);
        assertThat(RunningTimeMeter.atEnd(MARK, MARK.plusSeconds(120)).minutes()).isEqualTo(2);
        assertThat(RunningTimeMeter.atEnd(MARK, MARK).minutes()).isZero();
    }

    @Test
    void aClockBehindTheMarkOwesNothing() {
        assertThat(RunningTimeMeter.whileRunning(MARK, MARK.minusSeconds(90)).minutes()).isZero();
        assertThat(RunningTimeMeter.atEnd(MARK, MARK.minusSeconds(90)).minutes()).isZero();
    }

    @Test
    void idempotencyKeyNamesInstanceAndStartOfThePeriod() {
        assertThat(RunningTimeMeter.idempotencyKey(42, MARK)).isEqualTo("gpu-time:42:" + MARK.toEpochMilli());
    }
}
