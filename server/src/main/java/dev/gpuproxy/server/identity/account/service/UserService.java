package dev.gpuproxy.server.identity.account.service;

import dev.gpuproxy.server.common.crypto.PasswordHasher;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.account.repository.UserEntity;
import dev.gpuproxy.server.identity.account.repository.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Accounts: creation with the password policy, role and status changes, search. */
@ApplicationScoped
@Transactional
public class UserService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
    private static final int MAX_PASSWORD_BYTES = PasswordHasher.MAX_SECRET_BYTES;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final UserDirectory directory;
    private final AuthConfig config;
    private final Clock clock;
    private final Event<AccountCreated> created;

    UserService(UserRepository users, PasswordHasher hasher, UserDirectory directory, AuthConfig config, Clock clock,
                Event<AccountCreated> created) {
        this.created = created;
        this.users = users;
        this.hasher = hasher;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
    }

    public record Page(List<UserView> data, long total, int limit, int offset) {}

    public static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    public UserView create(String email, String password, String name, String role) {
        String normalized = normalizeEmail(email);
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 320) {
            throw ApiException.badRequest("email is not a valid address");
        }
        checkPasswordPolicy(password);
        if (users.findByEmail(normalized).isPresent()) {
            throw ApiException.conflict("email_taken", "An account with this email already exists");
        }
        Instant now = clock.instant();
        UserEntity user = new UserEntity();
        user.email = normalized;
        user.passwordHash = hasher.hash(password);
        user.name = name.trim();
        user.role = role;
        user.active = true;
        user.createdAt = now;
        user.updatedAt = now;
        users.persist(user);
        created.fire(new AccountCreated(user.id));
        return UserView.of(user);
    }

    @Transactional
    public UserView get(long id) {
        return UserView.of(find(id));
    }

    @Transactional
    public Page search(String search, int limit, int offset) {
        List<UserView> data = users.search(search, limit, offset).stream().map(UserView::of).toList();
        return new Page(data, users.count(search), limit, offset);
    }

    public UserView makeAdmin(long id) {
        UserEntity user = find(id);
        user.role = "admin";
        return changed(user);
    }

    /** Quota settings; a null field leaves that setting as it is, {@link #UNLIMITED} removes a limit. */
    public record Quotas(Long maxRequests, Long maxGpuSeconds, String period) {}

    public static final long UNLIMITED = -1;

    /** Applies the given changes (null = unchanged). */
    public UserView update(long id, String name, Boolean active, Integer rateLimitPerMinute, Quotas quotas) {
        UserEntity user = find(id);
        if (quotas != null) {
            if (quotas.maxRequests() != null) {
                user.maxRequests = quotas.maxRequests() == UNLIMITED ? null : quotas.maxRequests();
            }
            if (quotas.maxGpuSeconds() != null) {
                user.maxGpuSeconds = quotas.maxGpuSeconds() == UNLIMITED ? null : quotas.maxGpuSeconds();
            }
            if (quotas.period() != null) {
                user.quotaPeriod = quotas.period();
            }
        }
        if (name != null) {
            user.name = name.trim();
        }
        if (active != null) {
            user.active = active;
        }
        if (rateLimitPerMinute != null) {
            user.rateLimitPerMinute = rateLimitPerMinute;
        }
        return changed(user);
    }

    /**
     * Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when there is none; returns whether it did. An account
     * that already holds that email registered itself with a password of its own choosing: promoting it would hand
     * the server to whoever signed up first, so the start is refused instead.
     *
     * @throws IllegalStateException when ADMIN_EMAIL names an existing account that is not an admin
     */
    public boolean bootstrapAdmin(String email, String password) {
        if (users.anyAdmin()) {
            return false;
        }
        String normalized = normalizeEmail(email);
        if (users.findByEmail(normalized).isPresent()) {
            throw new IllegalStateException("ADMIN_EMAIL " + normalized + " belongs to an existing account that is not"
                    + " an admin; gpuproxyd does not promote it, because whoever registered it chose its password."
                    + " Set ADMIN_EMAIL to an address without an account and start again; if that account is yours,"
                    + " promote it afterwards, signed in as the new admin: gpuproxy-admin make-admin " + normalized);
        }
        create(email, password, "Administrator", "admin");
        return true;
    }

    private void checkPasswordPolicy(String password) {
        if (password == null || password.length() < config.passwordMinLength()) {
            throw ApiException.badRequest("password must be at least " + config.passwordMinLength() + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.badRequest("password must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
    }

    private UserEntity find(long id) {
        return users.findById(id).orElseThrow(() -> ApiException.notFound("No user " + id));
    }

    private UserView changed(UserEntity user) {
        user.updatedAt = clock.instant();
        directory.evict(user.id);
        return UserView.of(user);
    }
}
