package dev.gpuproxy.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named set of backends (usually one model) with its strategy. Backends are replaced copy-on-write, so picks read a
 * consistent snapshot without locks; a backend keeps its measured state across changes, and so does a change of
 * strategy.
 */
public final class Pool {

    private final long id;
    private final String name;
    private final Long ownerUserId;
    private final List<String> aliases;
    private final AtomicLong cursor = new AtomicLong();
    private volatile Strategy strategy;
    private volatile PoolSnapshot snapshot;

    public Pool(long id, String name, Long ownerUserId, List<String> aliases, Strategy strategy) {
        this.id = id;
        this.name = name;
        this.ownerUserId = ownerUserId;
        this.aliases = List.copyOf(aliases);
        this.strategy = strategy;
        this.snapshot = new PoolSnapshot(new Backend[0], cursor);
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Null for an operator's global pool; the tenant's user id for a private pool. */
    public Long ownerUserId() {
        return ownerUserId;
    }

    public List<String> aliases() {
        return aliases;
    }

    public Strategy strategy() {
        return strategy;
    }

    public void strategy(Strategy strategy) {
        this.strategy = strategy;
    }

    /**
     * Records how one attempt on {@code backend} (started at {@code startNanos}) ended: {@code failure} null for a
     * success. A failure may eject the backend only while another healthy one remains (a client's own error never
     * ejects), the rule every route that forwards through this pool shares.
     */
    public void recordOutcome(Backend backend, FailureKind failure, long startNanos) {
        long now = System.nanoTime();
        if (failure == null) {
            backend.succeeded(now - startNanos, now);
        } else {
            backend.failed(failure, now - startNanos, now,
                    failure == FailureKind.CLIENT_ERROR || snapshot().hasHealthyOtherThan(backend, now));
        }
    }

    public PoolSnapshot snapshot() {
        return snapshot;
    }

    public List<Backend> backends() {
        PoolSnapshot current = snapshot;
        List<Backend> list = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            list.add(current.get(i));
        }
        return list;
    }

    public synchronized void add(Backend backend) {
        List<Backend> next = backends();
        next.removeIf(b -> b.id() == backend.id());
        next.add(backend);
        snapshot = new PoolSnapshot(next.toArray(Backend[]::new), cursor);
    }

    public synchronized boolean remove(long backendId) {
        List<Backend> next = backends();
        boolean removed = next.removeIf(b -> b.id() == backendId);
        if (removed) {
            snapshot = new PoolSnapshot(next.toArray(Backend[]::new), cursor);
        }
        return removed;
    }

    /** The backend for the next request by this pool's strategy; null when the pool is empty. */
    public Backend pick(long nowNanos) {
        return strategy.pick(snapshot, nowNanos, null, null);
    }

    /** The backend for a request for {@code model}, avoiding {@code exclude} (a backend that just failed) if possible. */
    public Backend pick(long nowNanos, String model, Backend exclude) {
        return strategy.pick(snapshot, nowNanos, exclude, model);
    }

    /** Another backend than {@code failed}, for a retry; {@code failed} itself only if it is the only one. */
    public Backend pickOther(Backend failed, long nowNanos) {
        return strategy.pick(snapshot, nowNanos, failed, null);
    }

    public boolean matches(String model) {
        return name.equals(model) || aliases.contains(model);
    }
}
