package dev.gpuproxy.lb;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The credentials of one backend, used round robin among those that are available and have a token. */
public final class KeyPool {

    /** The key to use, or none with the time until one could be used again. */
    public record Choice(BackendKey key, long retryAfterMillis) {}

    private final BackendKey[] keys;
    private final AtomicLong cursor = new AtomicLong();

    public KeyPool(List<BackendKey> keys) {
        this.keys = keys.toArray(BackendKey[]::new);
    }

    public List<BackendKey> keys() {
        return List.of(keys);
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** True when there are keys and the provider rejected every one (401/403): no wait brings one back. */
    public boolean allDisabled() {
        for (BackendKey key : keys) {
            if (!key.disabled()) {
                return false;
            }
        }
        return keys.length > 0;
    }

    /** True when some key could take a request now, without consuming a token. */
    public boolean anyAvailable(long nowNanos) {
        for (BackendKey key : keys) {
            if (key.available(nowNanos) && key.tokensLeft(nowNanos) != 0) {
                return true;
            }
        }
        return false;
    }

    public Choice acquire(long nowNanos) {
        int n = keys.length;
        long start = cursor.getAndIncrement();
        long soonest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            BackendKey key = keys[(int) Math.floorMod(start + i, (long) n)];
            RateLimitDecision decision = key.tryTake(nowNanos);
            if (decision.allowed()) {
                key.used(nowNanos);
                return new Choice(key, 0);
            }
            soonest = Math.min(soonest, decision.retryAfterMillis());
        }
        return new Choice(null, soonest == Long.MAX_VALUE ? 60_000 : soonest);
    }
}
