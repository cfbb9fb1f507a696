package dev.gpuproxy.server.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.UsageEvent;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.FailureKind;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * The operator console's server side on each database (subclasses pick it): the overview's time series and traffic
 * rates from seeded rows, every tenant's instances, reservations and payments with their owners, releasing on a
 * tenant's behalf, providers, admin-only access, and the page itself served at /admin.
 */
abstract class AdminConsoleContract {

    @Inject
    CreditService credits;

    @Inject
    UsageMeter meter;

    @Inject
    PoolRegistry registry;

    @Inject
    Session session;

    private static JsonPath stats(Api.Account admin) {
        return admin.asUser().get("/api/v1/admin/stats").then().statusCode(200).extract().jsonPath();
    }

    /** A series as bucket start -> value, so two reads compare per hour even across an hour's turn. */
    private static Map<String, BigDecimal> byHour(JsonPath stats, String series) {
        List<String> start = stats.getList("series.start", String.class);
        List<Object> values = stats.getList(series);
        assertThat(start).hasSize(24);
        assertThat(values).as(series).hasSize(24);
        Map<String, BigDecimal> result = new HashMap<>();
        for (int i = 0; i < 24; i++) {
            result.put(Instant.parse(start.get(i)).toString(), new BigDecimal(String.valueOf(values.get(i))));
        }
        return result;
    }

    /** How much an hour's value grew between two reads (an hour absent before counts from zero). */
    private static BigDecimal grew(JsonPath before, JsonPath after, String series, Instant hour) {
        String key = hour.truncatedTo(ChronoUnit.HOURS).toString();
        BigDecimal now = byHour(after, series).get(key);
        assertThat(now).as("%s has the hour %s", series, key).isNotNull();
        return now.subtract(byHour(before, series).getOrDefault(key, BigDecimal.ZERO));
    }

    private void payment(long userId, String provider, String status, String amount, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            PaymentEntity p = new PaymentEntity();
            p.userId = userId;
            p.provider = provider;
            p.externalId = provider + "_" + UUID.randomUUID();
            p.status = status;
            p.amount = amount;
            p.currency = "usd";
            p.credits = new BigDecimal(amount).movePointRight(Credits.SCALE).longValueExact();
            p.createdAt = at;
            p.updatedAt = at;
            session.persist(p);
        });
    }

    @Test
    void seriesPutEverySeededRowInItsHour() {
        Api.Account admin = Api.admin();
        JsonPath before = stats(admin);
        Instant now = Instant.now();
        Instant threeHoursAgo = now.minus(Duration.ofHours(3));

        Api.Account tenant = Api.registerAndLogin("series");
        Api.createApiKey(tenant, "kept");
        long revoked = tenant.asUser().contentType(ContentType.JSON).body(Map.of("name", "revoked"))
                .post("/api/v1/auth/apikey").then().statusCode(201).extract().jsonPath().getLong("id");
        tenant.asUser().delete("/api/v1/auth/apikeys/" + revoked).then().statusCode(204);
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "series grant",
                "series:" + UUID.randomUUID());
        credits.add(tenant.id(), CreditService.Kind.TOPUP, 5 * Credits.MICROS_PER_CREDIT, "series topup",
                "series:" + UUID.randomUUID());
        meter.record(new UsageEvent(tenant.id(), "key:now", "127.0.0.1", 3, 30, 10, 0, 2 * Credits.MICROS_PER_CREDIT,
                now));
        meter.record(new UsageEvent(tenant.id(), "key:earlier", "127.0.0.1", 5, 50, 20, 0, 0, threeHoursAgo));
        meter.flush();
        payment(tenant.id(), "stripe", "succeeded", "12.50", now);
        payment(tenant.id(), "afterdark", "succeeded", "3", now.minus(Duration.ofHours(2)));
        payment(tenant.id(), "stripe", "failed", "99", now);
        payment(tenant.id(), "stripe", "succeeded", "1000", now.minus(Duration.ofHours(30)));

        JsonPath after = stats(admin);
        Instant at = Instant.parse(after.getString("generated_at"));
        assertThat(after.getLong("series.bucket_seconds")).isEqualTo(3600);
        assertThat(Instant.parse(after.getList("series.start", String.class).get(23)))
                .isEqualTo(at.truncatedTo(ChronoUnit.HOURS));

        assertThat(grew(before, after, "series.requests", now)).isEqualByComparingTo("3");
        assertThat(grew(before, after, "series.requests", threeHoursAgo)).isEqualByComparingTo("5");
        assertThat(grew(before, after, "series.credits_granted", now)).isEqualByComparingTo("10");
        assertThat(grew(before, after, "series.credits_sold", now)).isEqualByComparingTo("5");
        assertThat(grew(before, after, "series.credits_spent", now)).isEqualByComparingTo("2");
        assertThat(grew(before, after, "series.users", now)).isEqualByComparingTo("1");
        assertThat(grew(before, after, "series.active_api_keys", now)).isEqualByComparingTo("1");
        // The level an hour ago did not have them yet.
        assertThat(grew(before, after, "series.users", threeHoursAgo)).isEqualByComparingTo("0");

        assertThat(revenue(after, "stripe", now).subtract(revenue(before, "stripe", now))).isEqualByComparingTo("12.50");
        Instant twoHoursAgo = now.minus(Duration.ofHours(2));
        assertThat(revenue(after, "afterdark", twoHoursAgo).subtract(revenue(before, "afterdark", twoHoursAgo)))
                .isEqualByComparingTo("3");

        // The 5-minute rates see the requests of now only.
        assertThat(after.getLong("traffic.requests")).isEqualTo(before.getLong("traffic.requests") + 3);
        assertThat(after.getLong("traffic.window_seconds")).isEqualTo(300);
        assertThat(new BigDecimal(after.getString("traffic.requests_per_minute")))
                .isEqualByComparingTo(BigDecimal.valueOf(after.getLong("traffic.requests")).divide(BigDecimal.valueOf(5)));
    }

    /** The stripe/afterdark revenue (usd) of the hour holding {@code at}; zero when the processor has none. */
    private static BigDecimal revenue(JsonPath stats, String provider, Instant at) {
        List<String> start = stats.getList("series.start", String.class);
        int index = start.stream().map(Instant::parse).toList().indexOf(at.truncatedTo(ChronoUnit.HOURS));
        List<Object> amounts = stats.getList("series.revenue.find { it.provider == '" + provider
                + "' && it.currency == 'usd' }.amounts");
        return amounts == null || index < 0 ? BigDecimal.ZERO : new BigDecimal(String.valueOf(amounts.get(index)));
    }

    /** A new global pool with one (unreachable) backend, created through the admin API; its live backend. */
    private Backend poolWithOneBackend(Api.Account admin, String pool) {
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", pool)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        long id = admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("pool", pool, "kind", "openai", "url", "http://127.0.0.1:9/v1"))
                .post("/api/v1/admin/backends").then().statusCode(201).extract().jsonPath().getLong("id");
        registry.refresh();
        return registry.backend(id).orElseThrow();
    }

    @Test
    void upstreamAttemptsAndErrorsComeFromTheBalancersBackends() {
        Api.Account admin = Api.admin();
        Backend backend = poolWithOneBackend(admin, "traffic-" + UUID.randomUUID().toString().substring(0, 8));
        JsonPath before = stats(admin);

        long t = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            backend.start(t);
            backend.succeeded(5_000_000, t);
        }
        backend.start(t);
        backend.failed(FailureKind.SERVER_ERROR, 1_000_000, t, true);
        JsonPath after = stats(admin);

        assertThat(after.getLong("traffic.upstream_requests") - before.getLong("traffic.upstream_requests")).isEqualTo(4);
        assertThat(after.getLong("traffic.upstream_errors") - before.getLong("traffic.upstream_errors")).isEqualTo(1);
        assertThat(new BigDecimal(after.getString("traffic.error_rate"))).isEqualByComparingTo(
                BigDecimal.valueOf(after.getLong("traffic.upstream_errors"))
                        .divide(BigDecimal.valueOf(after.getLong("traffic.upstream_requests")), 4,
                                java.math.RoundingMode.HALF_UP));
        Instant now = Instant.now();
        assertThat(grew(before, after, "series.upstream_requests", now)).isEqualByComparingTo("4");
        assertThat(grew(before, after, "series.upstream_errors", now)).isEqualByComparingTo("1");
        assertThat(after.getString("traffic.upstream_since")).isNotBlank();
        // Counted once: a second read adds nothing.
        assertThat(stats(admin).getLong("traffic.upstream_requests")).isEqualTo(after.getLong("traffic.upstream_requests"));
    }

    @Test
    void aPoolRebuiltWithNewAliasesKeepsItsBackendsAndTheirState() {
        String pool = "rebuilt-" + UUID.randomUUID().toString().substring(0, 8);
        Backend backend = poolWithOneBackend(Api.admin(), pool);
        backend.start(System.nanoTime());
        backend.succeeded(5_000_000, System.nanoTime());

        // A pool whose name or aliases read differently is rebuilt as a new Pool object; its unchanged backends used
        // to stay out of it (live for lookups by id, but never picked, sampled or shown in the pool).
        QuarkusTransaction.requiringNew().run(() -> session.createNativeMutationQuery(
                "update pools set aliases = :aliases where name = :name")
                .setParameter("aliases", pool + "-alias").setParameter("name", pool).executeUpdate());
        registry.refresh();

        var rebuilt = registry.pools().stream().filter(p -> p.name().equals(pool)).findFirst().orElseThrow();
        assertThat(rebuilt.aliases()).containsExactly(pool + "-alias");
        assertThat(rebuilt.backends()).containsExactly(backend);
        assertThat(rebuilt.backends().get(0).requests()).isEqualTo(1);
    }

    @Test
    void instancesAndReservationsOfEveryTenantWithOwnersAndReleaseOnTheirBehalf() {
        Api.Account admin = Api.admin();
        releaseEverythingLive(admin);
        Api.Account renter = Api.registerAndLogin("renter");
        Api.Account reserver = Api.registerAndLogin("reserver");
        for (Api.Account tenant : List.of(renter, reserver)) {
            admin.asUser().contentType(ContentType.JSON)
                    .body(Map.of("amount", 100, "kind", "grant", "reason", "gpu funds"))
                    .post("/api/v1/admin/users/" + tenant.id() + "/credits").then().statusCode(201);
        }
        long instance = renter.asUser().post("/api/v1/gpu/instances/static/a100-fra-1").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long reservation = reserver.asUser().contentType(ContentType.JSON).body(Map.of("count", 1))
                .post("/api/v1/gpu/instances/reserve").then().statusCode(201).extract().jsonPath()
                .getLong("reservation_id");

        JsonPath live = admin.asUser().get("/api/v1/admin/instances").then().statusCode(200).extract().jsonPath();
        assertThat(live.getLong("total")).isEqualTo(2);
        assertThat(live.getString("data.find { it.id == " + instance + " }.user_email")).isEqualTo(renter.email());
        assertThat(live.getString("data.find { it.id == " + instance + " }.gpu_model")).isEqualTo("A100");
        assertThat(live.getString("data.find { it.id == " + instance + " }.state")).isEqualTo("running");
        assertThat(live.getString("data.find { it.id == " + instance + " }.price_per_hour")).isEqualTo("1.1");
        assertThat(live.getString("data.find { it.reservation_id == " + reservation + " }.user_email"))
                .isEqualTo(reserver.email());
        admin.asUser().get("/api/v1/admin/instances?user_id=" + renter.id()).then().statusCode(200)
                .body("total", equalTo(1)).body("data[0].id", equalTo((int) instance));
        admin.asUser().get("/api/v1/admin/instances?state=running&provider=static").then().body("total", equalTo(2));
        admin.asUser().get("/api/v1/admin/instances?provider=vastai").then().body("total", equalTo(0));
        admin.asUser().get("/api/v1/admin/instances?state=sleeping").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("state must be live, ended, all"));

        admin.asUser().get("/api/v1/admin/reservations").then().statusCode(200)
                .body("total", equalTo(1))
                .body("data[0].id", equalTo((int) reservation))
                .body("data[0].user_email", equalTo(reserver.email()))
                .body("data[0].live_instances", equalTo(1))
                .body("data[0].state", equalTo("active"));

        // Releasing on the tenant's behalf: the tenant sees it ended.
        admin.asUser().delete("/api/v1/admin/instances/" + instance).then().statusCode(200)
                .body("state", equalTo("terminated")).body("user_email", equalTo(renter.email()));
        renter.asUser().get("/api/v1/gpu/instances/mine?include_ended=true").then()
                .body("instances.find { it.id == " + instance + " }.state", equalTo("terminated"));
        admin.asUser().get("/api/v1/admin/instances?state=ended&user_id=" + renter.id()).then()
                .body("total", equalTo(1));
        admin.asUser().delete("/api/v1/admin/reservations/" + reservation).then().statusCode(200)
                .body("reservation.state", equalTo("released"))
                .body("reservation.live_instances", equalTo(0))
                .body("errors.size()", equalTo(0));
        reserver.asUser().get("/api/v1/gpu/reservations/" + reservation).then().body("state", equalTo("released"));
        admin.asUser().get("/api/v1/admin/instances").then().body("total", equalTo(0));
        admin.asUser().get("/api/v1/admin/reservations").then().body("total", equalTo(0));
        admin.asUser().get("/api/v1/admin/reservations?state=released").then()
                .body("data.find { it.id == " + reservation + " }.released_at", org.hamcrest.Matchers.notNullValue());
        admin.asUser().delete("/api/v1/admin/instances/987654321").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void releaseEverythingLive(Api.Account admin) {
        for (Object id : admin.asUser().get("/api/v1/admin/reservations").jsonPath().getList("data.id")) {
            admin.asUser().delete("/api/v1/admin/reservations/" + id).then().statusCode(200);
        }
        for (Object id : admin.asUser().get("/api/v1/admin/instances").jsonPath().getList("data.id")) {
            admin.asUser().delete("/api/v1/admin/instances/" + id).then().statusCode(200);
        }
    }

    @Test
    void paymentsOfEveryTenantWithTotalsByProcessorAndStatus() {
        Api.Account admin = Api.admin();
        Api.Account payer = Api.registerAndLogin("payer");
        JsonPath before = admin.asUser().get("/api/v1/admin/payments").then().statusCode(200).extract().jsonPath();
        payment(payer.id(), "crypto", "succeeded", "0.5", Instant.now());
        payment(payer.id(), "crypto", "succeeded", "0.25", Instant.now());
        payment(payer.id(), "crypto", "pending", "7", Instant.now());

        JsonPath page = admin.asUser().get("/api/v1/admin/payments?user_id=" + payer.id()).then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getLong("total")).isEqualTo(3);
        assertThat(page.getList("data.user_email", String.class)).containsOnly(payer.email());
        assertThat(page.getList("data.payment.status", String.class)).containsExactly("pending", "succeeded", "succeeded");
        admin.asUser().get("/api/v1/admin/payments?provider=crypto&status=pending&user_id=" + payer.id()).then()
                .body("total", equalTo(1)).body("data[0].payment.amount", equalTo(7));

        JsonPath after = admin.asUser().get("/api/v1/admin/payments").then().extract().jsonPath();
        String succeeded = "summary.find { it.provider == 'crypto' && it.status == 'succeeded' && it.currency == 'usd' }";
        long countBefore = before.get(succeeded) == null ? 0 : before.getLong(succeeded + ".count");
        assertThat(after.getLong(succeeded + ".count") - countBefore).isEqualTo(2);
        BigDecimal amountBefore = before.getString(succeeded + ".amount") == null ? BigDecimal.ZERO
                : new BigDecimal(before.getString(succeeded + ".amount"));
        assertThat(new BigDecimal(after.getString(succeeded + ".amount")).subtract(amountBefore))
                .isEqualByComparingTo("0.75");
        assertThat(after.getList("processors.provider", String.class)).containsExactly("afterdark", "crypto", "stripe");

        admin.asUser().get("/api/v1/admin/payments?status=lost").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("status must be one of"));
        admin.asUser().get("/api/v1/admin/payments?provider=paypal").then().statusCode(400)
                .body("detail", containsString("provider must be one of"));
    }

    @Test
    void providersShowWhetherEnabledTheirHealthAndLiveInstances() {
        Api.Account admin = Api.admin();
        Api.Account tenant = Api.registerAndLogin("browser");
        tenant.asUser().get("/api/v1/gpu/instances?provider=static").then().statusCode(200);

        JsonPath providers = admin.asUser().get("/api/v1/admin/providers").then().statusCode(200).extract().jsonPath();
        assertThat(providers.getList("data.id", String.class)).contains("static", "vastai", "ionet");
        assertThat(providers.getBoolean("data.find { it.id == 'static' }.enabled")).isTrue();
        assertThat(providers.getString("data.find { it.id == 'static' }.status")).isEqualTo("ok");
        assertThat(providers.getString("data.find { it.id == 'static' }.checked_at")).isNotNull();
        assertThat(providers.getBoolean("data.find { it.id == 'vastai' }.enabled")).isFalse();
        assertThat(providers.getString("data.find { it.id == 'vastai' }.status")).isEqualTo("disabled");
    }

    @Test
    void tenantsAndStrangersAreRefusedEveryAdminEndpoint() {
        Api.Account tenant = Api.registerAndLogin("nosy");
        for (String path : List.of("/api/v1/admin/instances", "/api/v1/admin/reservations", "/api/v1/admin/payments",
                "/api/v1/admin/providers", "/api/v1/admin/stats", "/api/v1/admin/instances/1")) {
            tenant.asUser().get(path).then().statusCode(403).contentType("application/problem+json");
            given().get(path).then().statusCode(401).contentType("application/problem+json");
        }
        tenant.asUser().delete("/api/v1/admin/instances/1").then().statusCode(403);
        tenant.asUser().delete("/api/v1/admin/reservations/1").then().statusCode(403);
    }

    @Test
    void thePageIsServedWithoutCredentialsAndUnknownPathsStayProblems() {
        given().redirects().follow(false).get("/admin").then().statusCode(302).header("Location", "/admin/");
        given().get("/admin/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<title>gpuproxy admin</title>"))
                .body(containsString("js/app.js"));
        given().get("/admin/js/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/admin/admin.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/admin/js/no-such-module.js").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No resource at GET /api/v1/no-such-thing"));
    }
}
