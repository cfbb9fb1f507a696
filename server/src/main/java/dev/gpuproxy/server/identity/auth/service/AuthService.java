package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.common.crypto.PasswordHasher;
import dev.gpuproxy.server.common.crypto.Tokens;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.account.repository.UserEntity;
import dev.gpuproxy.server.identity.account.repository.UserRepository;
import dev.gpuproxy.server.identity.account.service.UserDirectory;
import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import dev.gpuproxy.server.identity.account.service.UserView;
import dev.gpuproxy.server.identity.session.SessionRecord;
import dev.gpuproxy.server.identity.session.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Login sessions: password login, refresh-token rotation with reuse detection, logout. A refresh token is
 * {@code <session id>.<secret>}; only the SHA-256 of the whole token is stored, and each refresh replaces it. Presenting
 * an old token again means it was copied: the session is revoked.
 */
@ApplicationScoped
public class AuthService {

    /** The same answer for an unknown email and a wrong password, so the API does not reveal who has an account. */
    private static final String BAD_LOGIN = "Email or password is incorrect";

    private final UserRepository users;
    private final UserService userService;
    private final UserDirectory directory;
    private final PasswordHasher hasher;
    private final SessionStore sessions;
    private final JwtService jwt;
    private final AuthConfig config;
    private final Clock clock;

    AuthService(UserRepository users, UserService userService, UserDirectory directory, PasswordHasher hasher,
                SessionStore sessions, JwtService jwt, AuthConfig config, Clock clock) {
        this.users = users;
        this.userService = userService;
        this.directory = directory;
        this.hasher = hasher;
        this.sessions = sessions;
        this.jwt = jwt;
        this.config = config;
        this.clock = clock;
    }

    public record TokenPair(String accessToken, String refreshToken, Instant expiresAt) {}

    public record LoginResult(UserView user, TokenPair tokens) {}

    public record ClientInfo(String ip, String userAgent) {}

    @Transactional
    public UserView register(String email, String password, String name) {
        return userService.create(email, password, name, "user");
    }

    @Transactional
    public LoginResult login(String email, String password, ClientInfo client) {
        Optional<UserEntity> found = users.findByEmail(UserService.normalizeEmail(email));
        boolean valid = found.isPresent()
                ? hasher.verify(password, found.get().passwordHash)
                : hasher.verifyAgainstDecoy(password);
        if (!valid) {
            throw unauthorized(BAD_LOGIN);
        }
        UserEntity user = found.get();
        if (!user.active) {
            throw unauthorized("This account is disabled");
        }
        Instant now = clock.instant();
        String sessionId = UUID.randomUUID().toString();
        String refreshToken = newRefreshToken(sessionId);
        sessions.create(new SessionRecord(sessionId, user.id, Tokens.sha256Hex(refreshToken), client.ip(),
                truncate(client.userAgent(), 512), now, now.plus(config.refreshExpiration()), null));
        return new LoginResult(UserView.of(user), tokens(snapshotOf(user.id), sessionId, refreshToken));
    }

    /** The revocation of a replayed token must survive the 401 that follows it. */
    @Transactional(dontRollbackOn = ApiException.class)
    public TokenPair refresh(String refreshToken) {
        String sessionId = sessionIdOf(refreshToken);
        Instant now = clock.instant();
        SessionRecord session = sessions.find(sessionId).filter(s -> s.activeAt(now))
                .orElseThrow(() -> unauthorized("Refresh token is expired or revoked; log in again"));
        String next = newRefreshToken(sessionId);
        switch (sessions.rotate(sessionId, Tokens.sha256Hex(refreshToken), Tokens.sha256Hex(next), now)) {
            case ROTATED -> {
                return tokens(snapshotOf(session.userId()), sessionId, next);
            }
            case STALE_TOKEN -> {
                sessions.revoke(sessionId, now);
                throw unauthorized("Refresh token was already used; the session is revoked, log in again");
            }
            default -> throw unauthorized("Refresh token is expired or revoked; log in again");
        }
    }

    /** Ends the session of a refresh token, or the session the caller's access token belongs to. */
    @Transactional
    public void logout(long userId, String refreshToken, String accessTokenSessionId) {
        String sessionId = refreshToken != null ? sessionIdOf(refreshToken) : accessTokenSessionId;
        if (sessionId == null) {
            throw ApiException.badRequest("Send refresh_token, or log out with the access token of a session");
        }
        SessionRecord session = sessions.find(sessionId).filter(s -> s.userId() == userId)
                .orElseThrow(() -> ApiException.notFound("No such session"));
        sessions.revoke(session.id(), clock.instant());
    }

    /** True while the session an access token names is active (logout ends its tokens too). */
    public boolean sessionActive(String sessionId) {
        return sessions.find(sessionId).filter(s -> s.activeAt(clock.instant())).isPresent();
    }

    private TokenPair tokens(UserSnapshot user, String sessionId, String refreshToken) {
        JwtService.IssuedToken access = jwt.issue(user, sessionId);
        return new TokenPair(access.token(), refreshToken, access.expiresAt());
    }

    private UserSnapshot snapshotOf(long userId) {
        UserSnapshot user = directory.get(userId).orElseThrow(() -> unauthorized("The account no longer exists"));
        if (!user.active()) {
            throw unauthorized("This account is disabled");
        }
        return user;
    }

    private static String newRefreshToken(String sessionId) {
        return sessionId + "." + Tokens.randomAlphanumeric(48);
    }

    private static String sessionIdOf(String refreshToken) {
        int dot = refreshToken == null ? -1 : refreshToken.indexOf('.');
        if (dot <= 0) {
            throw unauthorized("Malformed refresh token");
        }
        return refreshToken.substring(0, dot);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"gpuproxy\""));
    }
}
