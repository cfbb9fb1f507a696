package dev.gpuproxy.server.identity.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.identity.account.service.UserService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.IdentityProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The admin bootstrap never hands the server to whoever registered ADMIN_EMAIL first. */
@QuarkusTest
@TestProfile(IdentityProfile.class)
class AdminBootstrapTest {

    @Inject
    UserService users;

    @Test
    void anAccountThatRegisteredWithTheAdminEmailIsNotPromotedAndTheStartIsRefused() {
        // The attacker registers the address the operator is about to put in ADMIN_EMAIL, with a password of theirs.
        Api.Account squatter = Api.registerAndLogin("boss");

        assertThatThrownBy(() -> users.bootstrapAdmin(squatter.email(), "the-operators-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ADMIN_EMAIL " + squatter.email())
                .hasMessageContaining("not an admin")
                .hasMessageContaining("gpuproxy-admin make-admin " + squatter.email());

        // Still a plain user, with the attacker's password: no admin token for them.
        Api.Account again = Api.login(squatter.id(), squatter.email());
        again.asUser().get("/api/v1/user/me").then().statusCode(200)
                .body("role", org.hamcrest.Matchers.equalTo("user"));
        again.asUser().get("/api/v1/admin/users").then().statusCode(403);
    }
}
