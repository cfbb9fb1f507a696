package dev.gpuproxy.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.UsageEvent;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.PostgresProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin overview counts what is in the database, not constants: every seeded change moves its number. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminStatsTest {

    @Inject
    CreditService credits;

    @Inject
    UsageMeter meter;

    @Inject
    @DataSource("postgres")
    AgroalDataSource database;

    private static JsonPath stats(Api.Account admin) {
        return admin.asUser().get("/api/v1/admin/stats").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void statsFollowTheSeededData() throws Exception {
        Api.Account admin = Api.admin();
        JsonPath before = stats(admin);

        Api.Account user = Api.registerAndLogin("stats");
        Api.createApiKey(user, "k");
        credits.add(user.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "welcome", "t:" + UUID.randomUUID());
        meter.record(new UsageEvent(user.id(), "key:1", "127.0.0.1", 3, 100, 50, 0, 2_000_000, Instant.now()));
        meter.flush();
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("insert into payments (user_id, provider, external_id, status,"
                     + " amount, currency, credits, created_at, updated_at) values (?, 'stripe', ?, 'succeeded', '12.50',"
                     + " 'usd', 12500000, ?, ?)")) {
            s.setLong(1, user.id());
            s.setString(2, "pi_" + UUID.randomUUID());
            s.setObject(3, OffsetDateTime.now());
            s.setObject(4, OffsetDateTime.now());
            s.executeUpdate();
        }

        JsonPath after = stats(admin);
        assertThat(after.getLong("users.total")).isEqualTo(before.getLong("users.total") + 1);
        assertThat(after.getLong("active_api_keys")).isEqualTo(before.getLong("active_api_keys") + 1);
        assertThat(after.getLong("usage_24h.requests")).isEqualTo(before.getLong("usage_24h.requests") + 3);
        assertThat(after.getLong("usage_24h.tokens_in")).isEqualTo(before.getLong("usage_24h.tokens_in") + 100);
        assertThat(new BigDecimal(after.getString("credits.granted")))
                .isEqualByComparingTo(new BigDecimal(before.getString("credits.granted")).add(BigDecimal.TEN));
        assertThat(new BigDecimal(after.getString("credits.spent")))
                .isEqualByComparingTo(new BigDecimal(before.getString("credits.spent")).add(new BigDecimal("2")));
        BigDecimal stripeBefore = revenue(before);
        assertThat(revenue(after)).isEqualByComparingTo(stripeBefore.add(new BigDecimal("12.50")));
        assertThat(after.getString("generated_at")).isNotBlank();
    }

    @Test
    void onlyAdminsSeeStats() {
        Api.registerAndLogin("nosy").asUser().get("/api/v1/admin/stats").then().statusCode(403);
    }

    private static BigDecimal revenue(JsonPath stats) {
        String amount = stats.getString("revenue.find { it.provider == 'stripe' && it.currency == 'usd' }.amount");
        return amount == null ? BigDecimal.ZERO : new BigDecimal(amount);
    }
}
