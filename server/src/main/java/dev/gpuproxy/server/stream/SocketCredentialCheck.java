package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps every open {@code /ws} connection as authorised as a new request would be: every WS_AUTH_RECHECK (2 s) each
 * distinct credential in use is verified again, and the connections of one that no longer passes (logout, revoked
 * or expired key or token, account disabled or deleted) are closed with {@value #CREDENTIAL_ENDED} and the reason.
 * The check is the request path's own ({@link CredentialVerifier#verify}): a key verified before costs a map lookup,
 * an access token one session lookup, so this is cheap; revocations on other replicas reach it through the same
 * caches' one-second invalidation.
 */
@ApplicationScoped
public class SocketCredentialCheck {

    /** Close code for a connection whose credential stopped being valid (private range, after HTTP's 401). */
    static final short CREDENTIAL_ENDED = 4401;

    private final SocketSessions sessions;
    private final CredentialVerifier verifier;

    SocketCredentialCheck(SocketSessions sessions, CredentialVerifier verifier) {
        this.sessions = sessions;
        this.verifier = verifier;
    }

    @Scheduled(every = "${stream.auth-recheck:${WS_AUTH_RECHECK:2s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recheck() {
        Map<String, List<ClientSession>> byCredential = sessions.all().stream()
                .collect(Collectors.groupingBy(ClientSession::credential));
        byCredential.forEach((credential, open) -> {
            String refusal = refusal(credential, open.get(0).userId());
            if (refusal != null) {
                open.forEach(session -> session.close(CREDENTIAL_ENDED, refusal));
            }
        });
    }

    /** Why the credential no longer admits {@code userId}, or null while it does (or cannot be checked now). */
    private String refusal(String credential, long userId) {
        try {
            CredentialVerifier.Verified verified = verifier.verify(credential);
            return verified.user().id() == userId ? null : "The credential no longer belongs to this user";
        } catch (CredentialVerifier.Refused refused) {
            return refused.getMessage();
        } catch (RuntimeException unavailable) {
            // The database or Redis did not answer: keep the connection, ask again next round.
            Log.debugf("Could not recheck a WebSocket credential: %s", unavailable.getMessage());
            return null;
        }
    }
}
