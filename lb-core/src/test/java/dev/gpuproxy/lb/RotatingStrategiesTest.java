package dev.gpuproxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rotating strategies with a backend that drops out and comes back: its turns must be spread over the others in their
 * normal proportion, not handed to its neighbour. Single-threaded, so every count is deterministic.
 */
class RotatingStrategiesTest {

    private static final long NOW = 1_000_000_000_000L;
    private static final int PICKS = 10_000;
    /** The flapping backend is ejected during every other window of this many picks. */
    private static final int WINDOW = 50;

    /** Share of picks per backend (index order) while backend {@code flapping} is ejected every other window. */
    private static double[] sharesWithFlappingBackend(String strategy, double[] weights, int flapping) {
        Pool pool = new Pool(1, "p", null, List.of(), Strategy.named(strategy));
        Backend[] backends = new Backend[weights.length];
        for (int i = 0; i < weights.length; i++) {
            backends[i] = new Backend(i, "http://b" + i, "openai", weights[i], NOW);
            pool.add(backends[i]);
        }
        int[] counts = new int[weights.length];
        for (int pick = 0; pick < PICKS; pick++) {
            if (pick % WINDOW == 0) {
                if ((pick / WINDOW) % 2 == 1) {
                    backends[flapping].healthCheckFailed(NOW, true);
                } else {
                    backends[flapping].healthCheckPassed();
                }
            }
            counts[(int) pool.pick(NOW).id()]++;
        }
        double[] shares = new double[weights.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = (double) counts[i] / PICKS;
        }
        return shares;
    }

    /** Half the time every backend's weight share, half the time its share of the others' weight. */
    private static double fairShare(double[] weights, int flapping, int backend) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double allIn = weights[backend] / total;
        double flappingOut = backend == flapping ? 0 : weights[backend] / (total - weights[flapping]);
        return (allIn + flappingOut) / 2;
    }

    @Test
    void roundRobinSpreadsAnEjectedBackendsTurnsOverAllOthers() {
        double[] equal = {1, 1, 1, 1, 1};
        double[] shares = sharesWithFlappingBackend("round_robin", equal, 1);
        // Fair: 10% for the flapping backend, (20% + 25%) / 2 = 22.5% for each other one. Handing its turns to its
        // neighbour (the bug) gave backend 2 (20% + 40%) / 2 = 30%.
        assertThat(shares[1]).isCloseTo(0.10, within(0.005));
        for (int i : new int[] {2, 0, 3, 4}) {
            assertThat(shares[i]).as("backend %d", i).isCloseTo(0.225, within(0.005));
        }
    }

    @Test
    void weightedRoundRobinSpreadsAnEjectedBackendsTurnsByWeight() {
        double[] weights = {3, 2, 1, 1, 1};
        double[] shares = sharesWithFlappingBackend("weighted_round_robin", weights, 1);
        for (int i = 0; i < weights.length; i++) {
            assertThat(shares[i]).as("backend %d", i).isCloseTo(fairShare(weights, 1, i), within(0.01));
        }
    }

    @Test
    void aPoolWhoseBackendsAreAllSkippedStillAnswers() {
        for (String name : List.of("round_robin", "weighted_round_robin")) {
            Pool pool = new Pool(1, "p", null, List.of(), Strategy.named(name));
            for (int i = 0; i < 3; i++) {
                Backend b = new Backend(i, "http://b" + i, "openai", 1 + i, NOW);
                b.doesNotServe("m");
                pool.add(b);
            }
            // Nothing serves "m": the pick ends (bounded probing) with some backend rather than spinning.
            assertThat(pool.pick(NOW, "m", null)).as(name).isNotNull();
        }
    }
}
