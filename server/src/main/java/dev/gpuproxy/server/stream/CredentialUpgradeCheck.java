package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Authenticates a {@code /ws} handshake: the credential (API key or JWT in a header, or the bearer subprotocol) is
 * verified as for any request and the caller handed to the connection ({@link #CALLER}); without a valid one the
 * answer is 401 with our challenge. (Quarkus' {@code @Authenticated} on the endpoint answered 401 too, but then also
 * reported the failed lazy authentication as an error on the already answered request.)
 */
@ApplicationScoped
public class CredentialUpgradeCheck implements HttpUpgradeCheck {

    /** The verified caller of a connection, in its user data. */
    static final UserData.TypedKey<CredentialVerifier.Verified> CALLER = new UserData.TypedKey<>("gpuproxy.caller");
    /** The credential the connection authenticated with (streamed chats call the gateway with it). */
    static final UserData.TypedKey<String> CREDENTIAL = UserData.TypedKey.forString("gpuproxy.credential");

    private static final Map<String, List<String>> CHALLENGE =
            Map.of("WWW-Authenticate", List.of("Bearer realm=\"gpuproxy\""));

    private final CredentialVerifier verifier;

    CredentialUpgradeCheck(CredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String credential = CredentialAuthMechanism.credentialOf(context.httpRequest()::getHeader);
        if (credential == null) {
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        // On a worker: a cache miss costs a bcrypt.
        return Uni.createFrom().item(() -> verifier.verify(credential))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transform((verified, failure) -> {
                    if (failure != null) {
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    context.userData().put(CALLER, verified);
                    context.userData().put(CREDENTIAL, credential);
                    return CheckResult.permitUpgradeSync();
                });
    }
}
