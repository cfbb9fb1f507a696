package dev.gpuproxy.lb;

import java.util.concurrent.ThreadLocalRandom;

/** The balancing strategies. */
final class Strategies {

    private Strategies() {
    }

    static final Strategy ROUND_ROBIN = new Rotating("round_robin", false);
    static final Strategy WEIGHTED_ROUND_ROBIN = new Rotating("weighted_round_robin", true);
    /** LB_ENABLED=false: the first usable backend in declaration order (failover only, no balancing). */
    static final Strategy FIRST_AVAILABLE = new LeastScore("first_available") {
        @Override
        double score(Backend b) {
            return b.id() < 0 ? -b.id() : b.id();
        }
    };
    static final Strategy EQUAL_WEIGHTED = new LeastScore("equal_weighted") {
        @Override
        double score(Backend b) {
            return b.requests();
        }
    };
    static final Strategy LEAST_CONNECTIONS = new LeastScore("least_connections") {
        @Override
        double score(Backend b) {
            return b.inFlight();
        }
    };
    static final Strategy LEAST_RESPONSE_TIME = new LeastScore("least_response_time") {
        @Override
        double score(Backend b) {
            return b.latencyNanos() * queueFactor(b.inFlight(), b.concurrency());
        }
    };

    /**
     * How many of its latencies a new request is expected to take on a backend that serves {@code concurrency}
     * requests at once: 1 while a slot is free, then 1/concurrency more per request ahead of it in the queue. With a
     * concurrency of 1 this is the classic (in flight + 1).
     */
    static double queueFactor(int inFlight, int concurrency) {
        return 1 + Math.max(0, inFlight + 1 - concurrency) / (double) concurrency;
    }

    static final Strategy COST_PER_TOKEN = new CostPerToken(0);

    /**
     * Cheapest per output token: price per hour / measured output tokens per second. A backend not measured yet gets
     * one request at a time until it is (so it is measured without being flooded); one without a price counts as free.
     * With a latency bound, backends whose latency exceeds it lose to every backend within it: the bound is what
     * spreads load once the cheapest backend slows down under it.
     */
    static final class CostPerToken extends LeastScore {
        /** Above any cost, so that an over-bound backend ranks after every within-bound one. */
        private static final double OVER_BOUND = 1e15;
        private final long maxLatencyNanos;

        CostPerToken(long maxLatencyNanos) {
            super("cost_per_token");
            this.maxLatencyNanos = maxLatencyNanos;
        }

        @Override
        double score(Backend b) {
            double cost;
            if (b.spec().pricePerHour() == null) {
                cost = 0;
            } else if (b.outputTokensPerSecond() <= 0) {
                cost = b.inFlight() == 0 ? -1 : OVER_BOUND / 2;
            } else {
                cost = b.costPerMillionTokens();
            }
            boolean overBound = maxLatencyNanos > 0 && b.latencyNanos() > maxLatencyNanos;
            return overBound ? OVER_BOUND + cost : cost;
        }
    }

    private static boolean usable(Backend b, Backend exclude, String model, long now, boolean panic) {
        return b != exclude && b.serves(model) && (panic || (!b.isEjected(now)
                && (b.keys().isEmpty() || b.keys().anyAvailable(now))));
    }

    /**
     * Round robin over the backends, or over the smooth weighted schedule. A skipped slot (ejected, key-less, not
     * serving the model, excluded) hands its turn to the next turn of the shared cursor rather than to the slot after
     * it: probing start+1, start+2... would give the skipped backend's turns to its neighbour on top of its own (a
     * double share), while taking fresh turns spreads them over every usable backend in its normal proportion.
     */
    private record Rotating(String apiName, boolean weighted) implements Strategy {
        @Override
        public Backend pick(PoolSnapshot pool, long now, Backend exclude, String model) {
            int n = pool.size();
            if (n == 0) {
                return null;
            }
            int length = weighted ? pool.scheduleLength() : n;
            long first = pool.cursor.getAndIncrement();
            for (int pass = 0; pass < 2; pass++) {
                boolean panic = pass == 1;
                long turn = first;
                // Alone on the pool, `length` consecutive turns visit every slot once; bounded so that a pool whose
                // backends are all skipped still ends.
                for (int probe = 0; probe < length; probe++) {
                    Backend b = pool.get(backendIndex(pool, turn, length));
                    if (usable(b, exclude, model, now, panic)) {
                        return b;
                    }
                    turn = pool.cursor.getAndIncrement();
                }
                // Concurrent picks took some of those turns, so a usable backend may have been missed: look at each.
                int from = (int) Math.floorMod(first, (long) n);
                for (int i = 0; i < n; i++) {
                    Backend b = pool.get((from + i) % n);
                    if (usable(b, exclude, model, now, panic)) {
                        return b;
                    }
                }
            }
            return pool.get((int) Math.floorMod(first, (long) n));
        }

        private int backendIndex(PoolSnapshot pool, long turn, int length) {
            int slot = (int) Math.floorMod(turn, (long) length);
            return weighted ? pool.scheduled(slot) : slot;
        }
    }

    /**
     * Lowest score wins, ties broken at random so they spread evenly. Small pools are scanned; large pools use power
     * of two choices: two random usable backends, the better one wins.
     */
    private abstract static class LeastScore implements Strategy {
        private final String apiName;

        LeastScore(String apiName) {
            this.apiName = apiName;
        }

        abstract double score(Backend b);

        @Override
        public String apiName() {
            return apiName;
        }

        @Override
        public Backend pick(PoolSnapshot pool, long now, Backend exclude, String model) {
            int n = pool.size();
            if (n == 0) {
                return null;
            }
            for (int pass = 0; pass < 2; pass++) {
                boolean panic = pass == 1;
                Backend chosen = n <= PoolSnapshot.SCAN_LIMIT ? scan(pool, now, exclude, model, panic)
                        : twoChoices(pool, now, exclude, model, panic);
                if (chosen != null) {
                    return chosen;
                }
            }
            return pool.get(0);
        }

        private Backend scan(PoolSnapshot pool, long now, Backend exclude, String model, boolean panic) {
            int n = pool.size();
            Backend best = null;
            double bestScore = Double.MAX_VALUE;
            int ties = 0;
            for (int i = 0; i < n; i++) {
                Backend b = pool.get(i);
                if (!usable(b, exclude, model, now, panic)) {
                    continue;
                }
                double s = score(b);
                if (s < bestScore) {
                    best = b;
                    bestScore = s;
                    ties = 1;
                } else if (s == bestScore && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                    // Reservoir sampling: each of the k tied backends ends up chosen with probability 1/k.
                    best = b;
                }
            }
            return best;
        }

        private Backend twoChoices(PoolSnapshot pool, long now, Backend exclude, String model, boolean panic) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int n = pool.size();
            Backend first = null;
            Backend second = null;
            // A few random draws find usable backends quickly unless nearly all are ejected; then fall back to a scan.
            for (int draw = 0; draw < 8 && second == null; draw++) {
                Backend b = pool.get(random.nextInt(n));
                if (!usable(b, exclude, model, now, panic) || b == first) {
                    continue;
                }
                if (first == null) {
                    first = b;
                } else {
                    second = b;
                }
            }
            if (first == null) {
                return scan(pool, now, exclude, model, panic);
            }
            if (second == null) {
                return first;
            }
            return score(second) < score(first) ? second : first;
        }
    }
}
