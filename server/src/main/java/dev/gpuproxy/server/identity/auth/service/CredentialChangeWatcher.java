package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.identity.account.repository.UserRepository;
import dev.gpuproxy.server.identity.account.service.UserDirectory;
import dev.gpuproxy.server.identity.auth.repository.ApiKeyRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Makes revocations and account changes made on any replica effective here within about a second: once a second it
 * asks the database which API keys were revoked and which users changed recently, and drops those from the in-memory
 * caches. One small query per second per replica, whatever the request rate.
 */
@ApplicationScoped
public class CredentialChangeWatcher {

    /** Look back further than the poll interval, so clock skew between replicas cannot hide a change. */
    private static final Duration OVERLAP = Duration.ofSeconds(10);

    private final ApiKeyRepository keys;
    private final UserRepository users;
    private final ApiKeyService apiKeys;
    private final UserDirectory directory;
    private final Clock clock;

    CredentialChangeWatcher(ApiKeyRepository keys, UserRepository users, ApiKeyService apiKeys,
                            UserDirectory directory, Clock clock) {
        this.keys = keys;
        this.users = users;
        this.apiKeys = apiKeys;
        this.directory = directory;
        this.clock = clock;
    }

    @Scheduled(every = "${auth.change-poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void poll() {
        Instant since = clock.instant().minus(OVERLAP);
        List<Long> revokedKeys = keys.revokedSince(since);
        apiKeys.evictKeys(revokedKeys);
        List<Long> changedUsers = users.changedSince(since);
        directory.evictAll(changedUsers);
        apiKeys.evictUsers(changedUsers);
    }
}
