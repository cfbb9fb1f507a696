package dev.gpuproxy.server.credit.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Adds usage events up in memory without blocking the caller, and hands out the totals as {@link UsageBatch}es. A batch
 * whose write failed is retried as it was, under the same key: the failure may have come after the commit (a lost
 * connection, a timeout on the answer), and then the retry is a replay that charges nothing again. What is still in
 * memory when the process dies hard is lost (under-charged, never double-charged).
 */
public final class UsageAggregator {

    private record Source(long userId, String clientId, String ip) {}

    private static final class Totals {
        long requests;
        long tokensIn;
        long tokensOut;
        long gpuSeconds;
        long creditsMicros;
        Instant first;
        Instant last;
        /** Set when a drain has taken these totals; later additions must go to a fresh entry. */
        boolean drained;

        synchronized boolean add(long requests, long tokensIn, long tokensOut, long gpuSeconds, long credits,
                                 Instant from, Instant to) {
            if (drained) {
                return false;
            }
            this.requests += requests;
            this.tokensIn += tokensIn;
            this.tokensOut += tokensOut;
            this.gpuSeconds += gpuSeconds;
            this.creditsMicros += credits;
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
            return true;
        }
    }

    /** Names this process's batch keys, so two replicas never produce the same key. */
    private final String instanceId = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Source, Totals> pending = new ConcurrentHashMap<>();
    /** Batches whose write failed, kept whole with their keys; they go first at the next drain. */
    private final Queue<UsageBatch> retries = new ConcurrentLinkedQueue<>();

    public void record(UsageEvent event) {
        Objects.requireNonNull(event.at(), "usage event time");
        Source source = new Source(event.userId(), event.clientId(), event.ip());
        while (!pending.computeIfAbsent(source, s -> new Totals()).add(event.requests(), event.tokensIn(),
                event.tokensOut(), event.gpuSeconds(), event.creditsMicros(), event.at(), event.at())) {
            Thread.onSpinWait();
        }
    }

    public boolean isEmpty() {
        return pending.isEmpty() && retries.isEmpty();
    }

    /** Takes everything recorded so far and passes each batch to {@code writer}; failed batches are kept for later. */
    public int drainTo(Consumer<UsageBatch> writer) {
        List<UsageBatch> batches = new ArrayList<>();
        for (UsageBatch retry; (retry = retries.poll()) != null; ) {
            batches.add(retry);
        }
        List<Map.Entry<Source, Totals>> taken = new ArrayList<>();
        for (Source source : List.copyOf(pending.keySet())) {
            Totals totals = pending.remove(source);
            if (totals != null) {
                taken.add(Map.entry(source, totals));
            }
        }
        for (Map.Entry<Source, Totals> entry : taken) {
            Source source = entry.getKey();
            Totals t = entry.getValue();
            synchronized (t) {
                t.drained = true;
                batches.add(new UsageBatch(instanceId + ":" + sequence.incrementAndGet(), source.userId(),
                        source.clientId(), source.ip(), t.first, t.last, t.requests, t.tokensIn, t.tokensOut,
                        t.gpuSeconds, t.creditsMicros));
            }
        }
        int written = 0;
        RuntimeException firstFailure = null;
        for (UsageBatch batch : batches) {
            try {
                writer.accept(batch);
                written++;
            } catch (RuntimeException e) {
                retries.add(batch);
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return written;
    }
}
