package dev.gpuproxy.server.identity.account.service;

import dev.gpuproxy.server.identity.account.repository.UserRepository;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory copies of the users that are making requests, so authenticating a request does not read the database.
 * Entries are dropped when a user changes (here at once, on other replicas through
 * auth's {@code CredentialChangeWatcher} within a second).
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class UserDirectory {

    private final UserRepository users;
    private final Map<Long, UserSnapshot> cache = new ConcurrentHashMap<>();

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    /** The cached snapshot, if this replica has one (never touches the database). */
    public Optional<UserSnapshot> cached(long userId) {
        return Optional.ofNullable(cache.get(userId));
    }

    /** The snapshot, loading it from the database on a miss (blocking). */
    @Transactional
    public Optional<UserSnapshot> get(long userId) {
        UserSnapshot hit = cache.get(userId);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<UserSnapshot> loaded = users.findById(userId)
                .map(UserSnapshot::of);
        loaded.ifPresent(snapshot -> cache.put(userId, snapshot));
        return loaded;
    }

    public void evict(long userId) {
        cache.remove(userId);
    }

    public void evictAll(Collection<Long> userIds) {
        userIds.forEach(cache::remove);
    }
}
