package dev.gpuproxy.server.autopilot.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last decisions of the autopilot per pool and why, for the admin API. Kept in memory on the replica that decides;
 * consecutive holds collapse into the latest, so the list shows what happened rather than a tick per round.
 */
@ApplicationScoped
public class DecisionJournal {

    static final int KEPT = 20;

    /** One decision: {@code action} is rent, release, replace, lost, hold or error. */
    public record Entry(Instant at, String action, String reason) {}

    private final Map<String, Deque<Entry>> byPool = new ConcurrentHashMap<>();

    public void note(String poolKey, Instant at, String action, String reason) {
        Deque<Entry> entries = byPool.computeIfAbsent(poolKey, k -> new ArrayDeque<>());
        synchronized (entries) {
            Entry last = entries.peekLast();
            if ("hold".equals(action) && last != null && last.action().equals(action)) {
                // Consecutive holds collapse into the latest: the list shows what changed, and why it is quiet now.
                entries.removeLast();
            }
            entries.addLast(new Entry(at, action, reason));
            while (entries.size() > KEPT) {
                entries.removeFirst();
            }
        }
    }

    /** Newest first. */
    public List<Entry> recent(String poolKey) {
        Deque<Entry> entries = byPool.get(poolKey);
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            List<Entry> copy = new java.util.ArrayList<>(entries);
            java.util.Collections.reverse(copy);
            return copy;
        }
    }
}
