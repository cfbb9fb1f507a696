package dev.gpuproxy.server.credit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.Hold;
import dev.gpuproxy.server.credit.service.InsufficientCreditsException;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Overage and cap, auto-renew, the admin grant endpoint, the ledger API and the invariant check. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CreditRulesTest {

    private static final long CREDIT = Credits.MICROS_PER_CREDIT;

    @Inject
    CreditService credits;

    @Inject
    AuditTrail audit;

    @Inject
    @DataSource("postgres")
    AgroalDataSource database;

    @Test
    void usageGoesIntoOverageUpToTheCapThenIsRefused() {
        long user = Api.registerAndLogin("cap").id();
        credits.add(user, CreditService.Kind.GRANT, 5 * CREDIT, "start", key());
        credits.configure(user, 3 * CREDIT, null, null, null);

        Hold hold = credits.reserve(user, 8 * CREDIT, "big job", key());
        var wallet = credits.wallet(user);
        assertThat(wallet.creditsRemaining()).isEqualByComparingTo("0");
        assertThat(wallet.creditsOverage()).isEqualByComparingTo("3");

        assertThatThrownBy(() -> credits.reserve(user, 1, "one micro-credit more", key()))
                .isInstanceOf(InsufficientCreditsException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(402);

        credits.settle(user, hold.holdId(), 6 * CREDIT);
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("0");
        assertThat(credits.wallet(user).creditsOverage()).isEqualByComparingTo("1");
        assertThat(credits.chargeUsage(user, 2 * CREDIT, "metered", key()).pastCap()).isFalse();
        assertThat(credits.chargeUsage(user, 1, "metered", key()).pastCap()).isTrue();
    }

    @Test
    void autoRenewFiresOncePerCrossingOfTheThreshold() {
        long user = Api.registerAndLogin("renew").id();
        credits.add(user, CreditService.Kind.GRANT, 10 * CREDIT, "start", key());
        credits.configure(user, null, true, 20 * CREDIT, 5 * CREDIT);

        credits.chargeUsage(user, 6 * CREDIT, "a", key());   // 10 -> 4: crosses, fires
        credits.chargeUsage(user, 1 * CREDIT, "b", key());   // 4 -> 3: still below, no second request
        assertThat(renewRequests(user)).isEqualTo(1);
        credits.add(user, CreditService.Kind.TOPUP, 10 * CREDIT, "top-up", key()); // 13: re-armed
        credits.chargeUsage(user, 9 * CREDIT, "c", key());   // 13 -> 4: crosses again
        assertThat(renewRequests(user)).isEqualTo(2);
    }

    @Test
    void adminGrantIsAuditedAndIdempotent() {
        Api.Account admin = Api.admin();
        Api.Account user = Api.registerAndLogin("granted");
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("amount", "12.5", "reason", "welcome bonus");
        long first = admin.asUser().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/v1/admin/users/" + user.id() + "/credits").then().statusCode(201)
                .body("kind", equalTo("grant")).body("amount", equalTo(12.5f))
                .extract().jsonPath().getLong("id");
        long replay = admin.asUser().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/v1/admin/users/" + user.id() + "/credits").then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .extract().jsonPath().getLong("id");
        assertThat(replay).isEqualTo(first);
        admin.asUser().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("amount", "99", "reason", "other"))
                .post("/api/v1/admin/users/" + user.id() + "/credits").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused"));

        user.asUser().get("/api/v1/credits").then().statusCode(200)
                .body("credits_remaining", equalTo(12.5f))
                .body("credits_total", equalTo(12.5f));
        user.asUser().get("/api/v1/credits/ledger").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].id", notNullValue())
                .body("data[0].kind", equalTo("grant"))
                .body("data[0].reference", equalTo("welcome bonus"))
                .body("data[0].created_at", notNullValue());
        assertThat(audit.forTarget("user", String.valueOf(user.id())))
                .anySatisfy(e -> assertThat(e.detail).contains("welcome bonus").contains("12.5"));
    }

    @Test
    void badAmountsAreRefusedWith400() {
        Api.Account admin = Api.admin();
        long user = Api.registerAndLogin("badamount").id();
        for (String amount : new String[] {"-5", "0", "1.0000001", "100000000000000", "\"lots\""}) {
            admin.asUser().contentType(ContentType.JSON)
                    .body("{\"amount\": " + amount + ", \"reason\": \"x\"}")
                    .post("/api/v1/admin/users/" + user + "/credits").then().statusCode(400);
        }
        admin.asUser().contentType(ContentType.JSON).body(Map.of("amount", "1", "reason", "x", "kind", "gift"))
                .post("/api/v1/admin/users/" + user + "/credits").then().statusCode(400);
        assertThat(credits.ledger(user, null, 10)).isEmpty();
    }

    @Test
    void tenantsSeeOnlyTheirOwnLedger() {
        Api.Account alice = Api.registerAndLogin("alice-ledger");
        Api.Account bob = Api.registerAndLogin("bob-ledger");
        credits.add(alice.id(), CreditService.Kind.GRANT, CREDIT, "alice only", key());
        bob.asUser().get("/api/v1/credits/ledger").then().statusCode(200).body("data", hasSize(0));
        bob.asUser().get("/api/v1/credits").then().body("credits_remaining", equalTo(0.0f));
        bob.asUser().get("/api/v1/admin/users/" + alice.id() + "/credits").then().statusCode(403);
    }

    @Test
    void invariantCheckFindsACorruptedWallet() throws Exception {
        Api.Account admin = Api.admin();
        long user = Api.registerAndLogin("corrupt").id();
        credits.add(user, CreditService.Kind.GRANT, 3 * CREDIT, "start", key());
        admin.asUser().get("/api/v1/admin/credits/audit").then().statusCode(200).body("consistent", equalTo(true));

        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update wallets set credits_remaining = credits_remaining + 1 where user_id = " + user);
        }
        admin.asUser().get("/api/v1/admin/credits/audit").then().statusCode(200)
                .body("consistent", equalTo(false))
                .body("mismatches.user_id", hasItem((int) user));
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update wallets set credits_remaining = credits_remaining - 1 where user_id = " + user);
        }
    }

    @Test
    void databaseErrorMidTransferLeavesNoHalfWrittenState() {
        long user = Api.registerAndLogin("atomic").id();
        credits.add(user, CreditService.Kind.GRANT, 2 * CREDIT, "start", key());
        // The wallet is updated first; the ledger insert then fails (key longer than its column): all rolls back.
        String tooLong = "k".repeat(300);
        assertThatThrownBy(() -> credits.add(user, CreditService.Kind.GRANT, CREDIT, "fails", tooLong))
                .isInstanceOf(RuntimeException.class);
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo("2");
        assertThat(credits.ledger(user, null, 10)).hasSize(1);

        // Same when the caller's own transaction fails after the transfer.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            credits.add(user, CreditService.Kind.GRANT, CREDIT, "then caller fails", key());
            throw new IllegalStateException("caller failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(credits.wallet(user).creditsRemaining()).isEqualByComparingTo(new BigDecimal("2"));
    }

    @Test
    void walletSettingsValidateAmounts() {
        Api.Account admin = Api.admin();
        long user = Api.registerAndLogin("settings").id();
        admin.asUser().contentType(ContentType.JSON).body(Map.of("credits_cap", "-1"))
                .put("/api/v1/admin/users/" + user + "/credits/settings").then().statusCode(400)
                .body("detail", containsString("credits_cap"));
        admin.asUser().contentType(ContentType.JSON).body(Map.of("credits_cap", "25.5"))
                .put("/api/v1/admin/users/" + user + "/credits/settings").then().statusCode(200)
                .body("credits_cap", equalTo(25.5f))
                .body("credits_available", equalTo(25.5f));
    }

    private long renewRequests(long user) {
        return audit.forTarget("user", String.valueOf(user)).stream()
                .filter(e -> e.action.equals("credits.auto_renew_requested")).count();
    }

    private static String key() {
        return "test:" + UUID.randomUUID();
    }
}
