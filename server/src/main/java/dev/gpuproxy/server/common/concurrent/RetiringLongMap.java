package dev.gpuproxy.server.common.concurrent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * Long values by long key, updated from many threads without a lock, whose entries leave the map when they are back
 * at rest, without losing an update that races with the removal.
 *
 * <p>Why not {@code ConcurrentHashMap<Long, Long>.merge}: it locks the key's bin and boxes a new value on every call;
 * on a gateway request path every event loop updates the same few keys (one tenant's key, one tenant's credits), so
 * the lock was contended on every request. Here an update is a read plus, when the value changes, one compare-and-set;
 * an update that does not change the value (the latest second a key was used, again) writes nothing.
 *
 * <p>An entry is retired by setting its value to a mark no update can pass ({@link #retire}); an update that meets the
 * mark goes to a fresh entry, so nothing added concurrently is lost. That mark, {@code Long.MIN_VALUE}, is the one value
 * an entry cannot hold.
 */
public final class RetiringLongMap {

    private static final long RETIRED = Long.MIN_VALUE;

    private final Map<Long, AtomicLong> values = new ConcurrentHashMap<>();

    /** Sets the value of {@code key} (0 when absent) to {@code operator(value, x)}. */
    public void accumulate(long key, long x, LongBinaryOperator operator) {
        while (true) {
            AtomicLong value = values.get(key);
            if (value == null) {
                value = values.computeIfAbsent(key, k -> new AtomicLong());
            }
            if (update(value, x, operator)) {
                return;
            }
            values.remove(key, value); // retired under us: help take it out, then start a fresh entry
        }
    }

    private static boolean update(AtomicLong value, long x, LongBinaryOperator operator) {
        while (true) {
            long current = value.get();
            if (current == RETIRED) {
                return false;
            }
            long next = operator.applyAsLong(current, x);
            if (next == RETIRED) {
                throw new ArithmeticException("Long.MIN_VALUE cannot be held");
            }
            if (next == current || value.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** The value of {@code key}, 0 when it has none. */
    public long get(long key) {
        AtomicLong value = values.get(key);
        long current = value == null ? RETIRED : value.get();
        return current == RETIRED ? 0 : current;
    }

    /**
     * Removes {@code key} if its value is {@code resting}; false when it is not (an update came first), and then the
     * entry stays as it is.
     */
    public boolean retire(long key, long resting) {
        AtomicLong value = values.get(key);
        if (value == null || !value.compareAndSet(resting, RETIRED)) {
            return false;
        }
        values.remove(key, value);
        return true;
    }

    /** Each key with its value at the moment it is visited (retired entries skipped). */
    public void forEach(KeyValueConsumer consumer) {
        values.forEach((key, value) -> {
            long current = value.get();
            if (current != RETIRED) {
                consumer.accept(key, current);
            }
        });
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** A key and its value, as longs. */
    @FunctionalInterface
    public interface KeyValueConsumer {
        void accept(long key, long value);
    }
}
