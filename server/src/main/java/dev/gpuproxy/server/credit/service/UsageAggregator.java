package dev.gpuproxy.server.credit.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Adds usage events up in memory without blocking the caller, and hands out the totals as {@link UsageBatch}es. A batch
 * that could not be written is merged back and retried under a new key: its first key never reached the database, so
 * nothing is charged twice. What is still in memory when the process dies hard is lost (under-charged, never
 * double-charged).
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

    public void record(UsageEvent event) {
        Objects.requireNonNull(event.at(), "usage event time");
        Source source = new Source(event.userId(), event.clientId(), event.ip());
        while (!pending.computeIfAbsent(source, s -> new Totals()).add(event.requests(), event.tokensIn(),
                event.tokensOut(), event.gpuSeconds(), event.creditsMicros(), event.at(), event.at())) {
            Thread.onSpinWait();
        }
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Takes everything recorded so far and passes each batch to {@code writer}; failed batches are kept for later. */
    public int drainTo(Consumer<UsageBatch> writer) {
        List<Map.Entry<Source, Totals>> taken = new ArrayList<>();
        for (Source source : List.copyOf(pending.keySet())) {
            Totals totals = pending.remove(source);
            if (totals != null) {
                taken.add(Map.entry(source, totals));
            }
        }
        int written = 0;
        RuntimeException firstFailure = null;
        for (Map.Entry<Source, Totals> entry : taken) {
            Source source = entry.getKey();
            Totals t = entry.getValue();
            UsageBatch batch;
            synchronized (t) {
                t.drained = true;
                batch = new UsageBatch(instanceId + ":" + sequence.incrementAndGet(), source.userId(),
                        source.clientId(), source.ip(), t.first, t.last, t.requests, t.tokensIn, t.tokensOut,
                        t.gpuSeconds, t.creditsMicros);
            }
            try {
                writer.accept(batch);
                written++;
            } catch (RuntimeException e) {
                record(new UsageEvent(source.userId(), source.clientId(), source.ip(), batch.requests(),
                        batch.tokensIn(), batch.tokensOut(), batch.gpuSeconds(), batch.creditsMicros(),
                        batch.startedAt()));
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
