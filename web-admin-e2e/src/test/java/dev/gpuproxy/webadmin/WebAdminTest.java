package dev.gpuproxy.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.testing.GpuproxyServer;
import dev.gpuproxy.cli.common.testing.Ports;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web admin page in headless Chromium against the packaged gpuproxyd (SQLite, two static GPU servers), with data
 * seeded through the REST API and every effect of the page checked through the API again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAdminTest {

    private static final String PASSWORD = "tenant-password-123";
    /** GpuproxyServer's JWT_SECRET: the expiry test signs a token the server accepts in every respect but time. */
    private static final String JWT_SECRET = "cli-test-secret-0123456789abcdef0123456789abcdef";

    private GpuproxyServer server;
    private Browser browser;
    private Rest rest;
    private String admin;

    @BeforeAll
    void start() {
        server = GpuproxyServer.start();
        rest = new Rest(server.baseUrl());
        admin = rest.login(GpuproxyServer.ADMIN_EMAIL, GpuproxyServer.ADMIN_PASSWORD);
        browser = Browser.start(server.baseUrl());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private void signIn() {
        browser.signInAsAdmin(GpuproxyServer.ADMIN_EMAIL, GpuproxyServer.ADMIN_PASSWORD);
    }

    private void go(String fragment) {
        browser.js("location.hash = arguments[0]", fragment);
        browser.loaded();
    }

    @Test
    void operatorSignsInSeesTheirNameAndSignsOut() {
        browser.reset();
        assertThat(browser.find("#app-view").isDisplayed()).isFalse();
        browser.signIn(GpuproxyServer.ADMIN_EMAIL, GpuproxyServer.ADMIN_PASSWORD);

        browser.visible("#app-view");
        assertThat(browser.visible("#main h1").getText()).isEqualTo("Overview");
        assertThat(browser.find("#whoami").getText()).contains(GpuproxyServer.ADMIN_EMAIL);
        assertThat((String) browser.js("return sessionStorage.getItem('gpuproxy.admin.session')")).contains("access_token");

        browser.find("#logout").click();
        browser.visible("#login-form");
        assertThat(browser.find("#login-message").getText()).isEqualTo("You are signed out.");
        assertThat(browser.js("return sessionStorage.getItem('gpuproxy.admin.session')")).isNull();
    }

    @Test
    void aWrongPasswordShowsTheServersProblemDetail() {
        Rest.Answer refused = rest.send("POST", "/api/v1/auth/login", null,
                Map.of("email", GpuproxyServer.ADMIN_EMAIL, "password", "not-the-password"));
        assertThat(refused.status()).isEqualTo(401);

        // By keyboard only: type, then Enter submits.
        browser.reset();
        browser.find("#login-email").sendKeys(GpuproxyServer.ADMIN_EMAIL, Keys.TAB, "not-the-password", Keys.ENTER);

        assertThat(browser.textOf("#login-message", refused.body().path("detail").asText()))
                .isEqualTo(refused.body().path("detail").asText());
        assertThat(browser.find("#app-view").isDisplayed()).isFalse();
    }

    @Test
    void aTenantIsRefusedWithAClearMessage() {
        String tenant = email("tenant");
        rest.register(tenant, PASSWORD, "Just A Tenant");

        browser.reset();
        browser.signIn(tenant, PASSWORD);

        WebElement message = browser.visible("#login-message");
        browser.waitUntil(d -> !message.getText().isBlank());
        assertThat(message.getText())
                .isEqualTo(tenant + " is not an operator account: the admin page needs the admin role."
                        + " Ask an administrator to grant it.");
        assertThat(browser.find("#app-view").isDisplayed()).isFalse();
        assertThat(browser.js("return sessionStorage.getItem('gpuproxy.admin.session')")).isNull();
        browser.screenshot("login-refused");
    }

    @Test
    void anExpiredTokenSendsTheOperatorBackToSignIn() throws Exception {
        signIn();
        JsonNode stored = Json.MAPPER.readTree((String) browser.js(
                "return sessionStorage.getItem('gpuproxy.admin.session')"));
        String live = stored.path("access_token").asText();
        String expired = resign(live, Instant.now().minusSeconds(60));
        // The forged token differs from a valid one only in its expiry: re-signed with a future expiry it works.
        assertThat(rest.send("GET", "/api/v1/admin/stats", resign(live, Instant.now().plusSeconds(600)), null).status())
                .isEqualTo(200);
        assertThat(rest.send("GET", "/api/v1/admin/stats", expired, null).status()).isEqualTo(401);

        // The page still believes the token is good (expires_at unchanged): only the server says otherwise.
        ((ObjectNode) stored).put("access_token", expired);
        browser.js("sessionStorage.setItem('gpuproxy.admin.session', arguments[0])",
                Json.MAPPER.writeValueAsString(stored));
        browser.js("location.hash = '#/users'");

        browser.visible("#login-form");
        assertThat(browser.find("#login-message").getText())
                .startsWith("Your session has expired or was revoked. Please sign in again.");
        assertThat(browser.find("#app-view").isDisplayed()).isFalse();

        // The page's own clock: a session past its expires_at ends on the next load, without asking the server.
        signIn();
        browser.js("const s = JSON.parse(sessionStorage.getItem('gpuproxy.admin.session'));"
                + " s.expires_at = new Date(Date.now() - 1000).toISOString();"
                + " sessionStorage.setItem('gpuproxy.admin.session', JSON.stringify(s));");
        browser.driver().navigate().refresh();
        browser.visible("#login-form");
        assertThat(browser.find("#login-message").getText()).isEqualTo("Your session has expired. Please sign in again.");
    }

    /** The token with a new expiry, signed with the server's key (HS256). */
    private static String resign(String jwt, Instant exp) throws Exception {
        String[] parts = jwt.split("\\.");
        ObjectNode claims = (ObjectNode) Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.put("exp", exp.getEpochSecond());
        claims.put("iat", exp.getEpochSecond() - 3600);
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(claims));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signed = parts[0] + "." + payload;
        return signed + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void overviewShowsTheSeededNumbers() throws Exception {
        JsonNode before = rest.get("/api/v1/admin/stats", admin);
        // Two tenants with three keys; one rents a GPU server, reserves the other, and sends traffic.
        String alice = email("alice");
        long aliceId = rest.register(alice, PASSWORD, "Alice");
        String aliceToken = rest.login(alice, PASSWORD);
        String bob = email("bob");
        rest.register(bob, PASSWORD, "Bob");
        String bobToken = rest.login(bob, PASSWORD);
        String aliceKey = rest.ok("POST", "/api/v1/auth/apikey", aliceToken, Map.of("name", "a1")).path("api_key").asText();
        rest.ok("POST", "/api/v1/auth/apikey", aliceToken, Map.of("name", "a2"));
        rest.ok("POST", "/api/v1/auth/apikey", bobToken, Map.of("name", "b1"));
        rest.ok("POST", "/api/v1/admin/users/" + aliceId + "/credits", admin,
                Map.of("amount", "125.5", "kind", "grant", "reason", "overview test"));
        String rented = rest.ok("POST", "/api/v1/gpu/instances/static/box-a100", aliceToken, null)
                .path("provider_instance_id").asText();
        long reservation = rest.ok("POST", "/api/v1/gpu/instances/reserve", aliceToken, Map.of("count", 1))
                .path("reservation_id").asLong();
        try {
            checkOverview(before, aliceId, aliceKey);
        } finally {
            // Give the static servers back for the other tests.
            rest.ok("DELETE", "/api/v1/gpu/instances/static/" + rented, aliceToken, null);
            rest.ok("DELETE", "/api/v1/gpu/reservations/" + reservation, aliceToken, null);
        }
    }

    private void checkOverview(JsonNode before, long aliceId, String aliceKey) throws Exception {

        try (InferenceStub good = InferenceStub.healthy(); InferenceStub bad = InferenceStub.broken()) {
            String model = "overview-" + UUID.randomUUID().toString().substring(0, 6);
            pool(model, good.url());
            pool(model + "-broken", bad.url());
            awaitRoute(aliceKey, model);
            for (int i = 0; i < 4; i++) {
                assertThat(chat(aliceKey, model).status()).isEqualTo(200);
            }
            for (int i = 0; i < 2; i++) {
                assertThat(chat(aliceKey, model + "-broken").status()).isGreaterThanOrEqualTo(500);
            }
        }
        // The gateway meters what it forwarded (whether it counts the failed calls is its policy): Alice's own usage
        // says how many requests that was, once the batches (written within a second) have landed.
        long metered = awaitStable(() -> rest.get("/api/v1/admin/users/" + aliceId + "/usage", admin)
                .path("requests").asLong());
        assertThat(metered).isBetween(4L, 6L);
        long requestsBefore = before.path("traffic").path("requests").asLong();
        JsonNode after = awaitStats(s -> s.path("traffic").path("requests").asLong() == requestsBefore + metered);

        signIn();
        long users = before.path("users").path("total").asLong() + 2;
        assertThat(browser.textOf("[data-value=users]", integer(users))).isEqualTo(integer(users));
        long keys = before.path("active_api_keys").asLong() + 3;
        assertThat(browser.textOf("[data-value=active_api_keys]", integer(keys))).isEqualTo(integer(keys));
        long running = before.path("instances").path("running").asLong() + 2;
        assertThat(browser.textOf("[data-value=running_instances]", integer(running))).isEqualTo(integer(running));
        long reservations = before.path("active_reservations").asLong() + 1;
        assertThat(browser.textOf("[data-value=active_reservations]", integer(reservations)))
                .isEqualTo(integer(reservations));
        // Requests per minute over the 5-minute window.
        String perMinute = decimal(BigDecimal.valueOf(requestsBefore + metered).divide(BigDecimal.valueOf(5), 2,
                RoundingMode.HALF_UP), 2);
        assertThat(browser.textOf("[data-value=requests_per_minute]", perMinute)).isEqualTo(perMinute);
        // Upstream: 6 attempts, 2 of them failed (this server's balancer only saw this test's traffic).
        long attempts = before.path("traffic").path("upstream_requests").asLong() + 6;
        long errors = before.path("traffic").path("upstream_errors").asLong() + 2;
        String rate = decimal(BigDecimal.valueOf(errors).divide(BigDecimal.valueOf(attempts), 4, RoundingMode.HALF_UP)
                .movePointRight(2), 2) + "%";
        assertThat(browser.textOf("[data-value=error_rate]", rate)).isEqualTo(rate);
        assertThat(browser.find("[data-stat=error_rate] .sub").getText())
                .isEqualTo(errors + " of " + attempts + " attempts in 5 min");
        String granted = credits(new BigDecimal(before.path("credits").path("granted").asText()).add(new BigDecimal("125.5")));
        assertThat(browser.find("[data-stat=credits_sold] .sub").getText()).isEqualTo(granted + " granted");
        assertThat(browser.find("[data-value=credits_sold]").getText())
                .isEqualTo(credits(new BigDecimal(before.path("credits").path("sold").asText())));

        // Spent: the gateway's charges and the GPU minutes, as Alice's ledger has them (read twice to rule out a
        // minute being charged while the page loads).
        String spent = null;
        for (int attempt = 0; attempt < 3 && spent == null; attempt++) {
            BigDecimal charged = usageCharged(aliceId);
            browser.driver().navigate().refresh();
            browser.visible("[data-value=credits_spent]");
            String shown = browser.find("[data-value=credits_spent]").getText();
            if (charged.equals(usageCharged(aliceId))) {
                spent = credits(new BigDecimal(before.path("credits").path("spent").asText()).add(charged));
                assertThat(shown).isEqualTo(spent);
            }
        }
        assertThat(spent).as("Alice's ledger kept changing").isNotNull();
        assertThat(after.path("revenue").size()).isZero();
        assertThat(browser.find("[data-stat=revenue] .sub").getText()).isEqualTo("No payments have succeeded yet");

        // Each number has its 24-hour chart, ending at the current value.
        assertThat(browser.find("[data-stat=users] .chart").getAttribute("aria-label"))
                .contains("users: now " + integer(users));
        assertThat(browser.find("[data-stat=active_reservations] .chart").getAttribute("aria-label"))
                .contains("reservations: now " + integer(reservations));
        assertThat(browser.find("[data-stat=error_rate] .chart").getAttribute("aria-label"))
                .contains("errors: now " + integer(errors));
        assertThat(browser.all(".card .chart svg")).hasSizeGreaterThanOrEqualTo(8);
        browser.screenshot("overview-seeded");
    }

    private BigDecimal usageCharged(long userId) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode entry : rest.get("/api/v1/admin/users/" + userId + "/credits", admin).path("ledger").path("data")) {
            if (entry.path("kind").asText().equals("usage")) {
                sum = sum.add(new BigDecimal(entry.path("amount").asText()).negate());
            }
        }
        return sum;
    }

    /** A count that has stopped changing (read until it is the same twice, 1.5 s apart). */
    private static long awaitStable(java.util.function.LongSupplier count) throws InterruptedException {
        long last = count.getAsLong();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(1500);
            long now = count.getAsLong();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("usage kept changing: " + last);
    }

    private JsonNode awaitStats(java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode stats = rest.get("/api/v1/admin/stats", admin);
        while (!condition.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            stats = rest.get("/api/v1/admin/stats", admin);
        }
        assertThat(condition.test(stats)).as("stats never reached the seeded state: %s", stats).isTrue();
        return stats;
    }

    private long pool(String name, String... urls) {
        long id = rest.ok("POST", "/api/v1/admin/pools", admin, Map.of("name", name)).path("id").asLong();
        for (String url : urls) {
            rest.ok("POST", "/api/v1/admin/backends", admin, Map.of("pool", name, "kind", "openai", "url", url));
        }
        return id;
    }

    private Rest.Answer chat(String apiKey, String model) {
        return rest.send("POST", "/v1/chat/completions", apiKey,
                Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hi"))));
    }

    /** Pools reach the gateway on the next registry refresh (LB_REFRESH_INTERVAL=1s in the test server). */
    private void awaitRoute(String apiKey, String model) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode models = rest.get("/v1/models", apiKey);
            for (JsonNode m : models.path("data")) {
                if (m.path("id").asText().equals(model)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pool " + model + " never became routable");
    }

    @Test
    void creatingAUserAndGrantingCreditsThroughThePageChangesTheDatabase() {
        signIn();
        go("#/users");
        String alice = email("created");
        browser.find("#create-user summary").click();
        WebElement form = browser.visible("#create-user-form");
        form.findElement(By.name("email")).sendKeys(alice);
        form.findElement(By.name("name")).sendKeys("Created In Browser");
        form.findElement(By.name("password")).sendKeys("browser-password-1");
        browser.find("#create-user-submit").click();

        // The page moves to the new user's page.
        browser.waitUntil(d -> d.findElement(By.cssSelector("#main h1")).getText().equals("Created In Browser"));
        JsonNode found = rest.get("/api/v1/admin/users?search=" + Rest.encode(alice), admin).path("data");
        assertThat(found.size()).isEqualTo(1);
        long id = found.get(0).path("id").asLong();
        assertThat(found.get(0).path("role").asText()).isEqualTo("user");
        assertThat(found.get(0).path("active").asBoolean()).isTrue();
        assertThat(rest.login(alice, "browser-password-1")).isNotBlank();

        WebElement grant = browser.find("#grant-form");
        grant.findElement(By.name("amount")).sendKeys("42.5");
        grant.findElement(By.name("reason")).sendKeys("browser welcome credits");
        browser.find("#grant-submit").click();
        browser.waitUntil(d -> d.findElement(By.id("wallet-balance")).getText().equals("42.5"));

        JsonNode credits = rest.get("/api/v1/admin/users/" + id + "/credits", admin);
        assertThat(new BigDecimal(credits.path("wallet").path("credits_remaining").asText()))
                .isEqualByComparingTo("42.5");
        JsonNode entry = credits.path("ledger").path("data").get(0);
        assertThat(entry.path("kind").asText()).isEqualTo("grant");
        assertThat(new BigDecimal(entry.path("amount").asText())).isEqualByComparingTo("42.5");
        assertThat(entry.path("reference").asText()).isEqualTo("browser welcome credits");
        assertThat(browser.find("#main table[aria-label=Ledger] td[data-col=amount]").getText()).isEqualTo("42.5");

        // An empty reason is refused on the page, and nothing is granted.
        grant = browser.find("#grant-form");
        grant.findElement(By.name("amount")).sendKeys("1");
        browser.find("#grant-submit").click();
        assertThat(browser.visible("#grant-form .notice.error").getText()).contains("reason");
        assertThat(rest.get("/api/v1/admin/users/" + id + "/credits", admin).path("ledger").path("data").size())
                .isEqualTo(1);

        // Make admin, then disable: both land in the database.
        browser.find("#make-admin").click();
        browser.clickable("#confirm-ok").click();
        browser.waitUntil(d -> d.findElement(By.id("user-role")).getText().equals("admin"));
        assertThat(rest.get("/api/v1/admin/users/" + id, admin).path("role").asText()).isEqualTo("admin");
        browser.find("#toggle-active").click();
        browser.clickable("#confirm-ok").click();
        browser.waitUntil(d -> d.findElement(By.id("user-status")).getText().equals("disabled"));
        assertThat(rest.get("/api/v1/admin/users/" + id, admin).path("active").asBoolean()).isFalse();
        browser.screenshot("user");

        // Search finds them; an unknown name shows the empty state.
        go("#/users");
        WebElement search = browser.find("input[type=search]");
        search.clear();
        search.sendKeys(alice, Keys.ENTER);
        browser.waitUntil(d -> d.findElements(By.cssSelector("#users-results tbody tr")).size() == 1
                && d.findElement(By.cssSelector("#users-results td[data-col=email]")).getText().equals(alice));
        search.clear();
        search.sendKeys("nobody-by-this-name", Keys.ENTER);
        assertThat(browser.visible("#users-results .empty").getText()).isEqualTo("No user matches “nobody-by-this-name”.");
        search.clear();
        search.sendKeys(Keys.ENTER);
    }

    @Test
    void creatingAUserThatExistsShowsTheProblemDetail() {
        String taken = email("taken");
        rest.register(taken, PASSWORD, "Taken");
        Rest.Answer conflict = rest.send("POST", "/api/v1/admin/users", admin,
                Map.of("email", taken, "name", "Again", "password", "another-password-1"));
        assertThat(conflict.status()).isEqualTo(409);

        signIn();
        go("#/users");
        browser.find("#create-user summary").click();
        WebElement form = browser.visible("#create-user-form");
        form.findElement(By.name("email")).sendKeys(taken);
        form.findElement(By.name("name")).sendKeys("Again");
        form.findElement(By.name("password")).sendKeys("another-password-1");
        browser.find("#create-user-submit").click();
        assertThat(browser.visible("#create-user-form .notice.error").getText())
                .isEqualTo(conflict.body().path("detail").asText());
    }

    @Test
    void switchingAPoolsStrategyChangesTheApi() {
        String name = "switch-" + UUID.randomUUID().toString().substring(0, 6);
        long poolId = pool(name, "http://127.0.0.1:" + Ports.closedPort() + "/v1");
        assertThat(rest.get("/api/v1/loadbalancer/strategy?pool=" + name, admin).path("strategy").asText())
                .isEqualTo("round_robin");

        signIn();
        go("#/loadbalancer");
        new Select(browser.visible("#strategy-" + poolId)).selectByValue("least_connections");
        browser.find("#strategy-apply-" + poolId).click();

        browser.waitUntil(d -> rest.get("/api/v1/loadbalancer/strategy?pool=" + name, admin).path("strategy").asText()
                .equals("least_connections"));
        // The page shows the new strategy after its next poll, and keeps it.
        browser.waitUntil(d -> new Select(d.findElement(By.id("strategy-" + poolId))).getFirstSelectedOption()
                .getAttribute("value").equals("least_connections"));

        // The global default too.
        String global = rest.get("/api/v1/loadbalancer/strategy", admin).path("strategy").asText();
        String other = global.equals("equal_weighted") ? "round_robin" : "equal_weighted";
        new Select(browser.find("#global-strategy")).selectByValue(other);
        browser.find("#global-strategy-apply").click();
        browser.waitUntil(d -> d.findElement(By.id("global-strategy-current")).getText().equals(other));
        assertThat(rest.get("/api/v1/loadbalancer/strategy", admin).path("strategy").asText()).isEqualTo(other);
        rest.ok("PUT", "/api/v1/loadbalancer/strategy", admin, Map.of("strategy", global));
    }

    @Test
    void aFailingBackendShowsAsEjected() {
        try (InferenceStub healthy = InferenceStub.healthy()) {
            String name = "eject-" + UUID.randomUUID().toString().substring(0, 6);
            String deadUrl = "http://127.0.0.1:" + Ports.closedPort() + "/v1";
            pool(name, healthy.url(), deadUrl);
            JsonNode backends = rest.get("/api/v1/admin/pools", admin).path("data");
            long dead = -1;
            long alive = -1;
            for (JsonNode p : backends) {
                for (JsonNode b : p.path("backends")) {
                    if (b.path("url").asText().equals(deadUrl)) {
                        dead = b.path("id").asLong();
                    } else if (b.path("url").asText().equals(healthy.url())) {
                        alive = b.path("id").asLong();
                    }
                }
            }
            signIn();
            go("#/loadbalancer");
            String deadRow = "tr[data-backend='" + dead + "']";
            WebElement row = browser.visible(deadRow);
            org.openqa.selenium.Point where = row.getLocation();
            // The health checker (every second here) finds the closed port; the page's poll shows it without a
            // reload, updating the same row in place (a redrawn row would be stale here) without moving it.
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Browser.WAIT)
                    .until(d -> row.getAttribute("data-ejected").equals("true"));
            assertThat(row.getLocation()).isEqualTo(where);
            assertThat(browser.find(deadRow + " td[data-col=status]").getText()).startsWith("ejected until");
            assertThat(browser.find("tr[data-backend='" + alive + "'] td[data-col=status]").getText()).isEqualTo("healthy");
            JsonNode state = rest.get("/api/v1/loadbalancer/loads?pool=" + name, admin).path("loads");
            for (JsonNode load : state) {
                assertThat(load.path("ejected").asBoolean()).isEqualTo(load.path("backend_id").asLong() == dead);
            }
            assertThat(browser.find("#lb-updated").getText()).startsWith("live · updated");
            browser.screenshot("loadbalancer-ejected");
        }
    }

    @Test
    void releasingAnInstanceFromThePageEndsIt() {
        String carol = email("carol");
        long carolId = rest.register(carol, PASSWORD, "Carol");
        String carolToken = rest.login(carol, PASSWORD);
        rest.ok("POST", "/api/v1/admin/users/" + carolId + "/credits", admin,
                Map.of("amount", "50", "kind", "grant", "reason", "release test"));
        // Whichever static server is free (the overview test may hold the other).
        JsonNode offers = rest.get("/api/v1/gpu/instances?provider=static", carolToken).path("offers");
        String offer = null;
        for (JsonNode o : offers) {
            if (o.path("available").asBoolean(true)) {
                offer = o.path("id").asText();
            }
        }
        assertThat(offer).as("a free static GPU server among %s", offers).isNotNull();
        long instance = rest.ok("POST", "/api/v1/gpu/instances/static/" + offer, carolToken, null).path("id").asLong();

        signIn();
        go("#/instances");
        String row = "#main table[aria-label='GPU instances'] tr[data-key='" + instance + "']";
        assertThat(browser.visible(row + " td[data-col=owner]").getText()).isEqualTo(carol);
        assertThat(browser.find(row + " td[data-col=state]").getText()).isEqualTo("running");
        browser.screenshot("instances-live");
        browser.find(row + " button.danger").click();
        browser.clickable("#confirm-ok").click();

        browser.waitUntil(d -> !rest.get("/api/v1/admin/instances/" + instance, admin).path("ended_at").isNull());
        assertThat(rest.get("/api/v1/admin/instances/" + instance, admin).path("state").asText()).isEqualTo("terminated");
        browser.waitUntil(d -> d.findElements(By.cssSelector(row)).isEmpty());
    }

    @Test
    void paymentsAndProvidersShowWhatTheApiSays() {
        JsonNode payments = rest.get("/api/v1/admin/payments", admin);
        JsonNode providers = rest.get("/api/v1/admin/providers", admin).path("data");

        signIn();
        go("#/payments");
        for (JsonNode p : payments.path("processors")) {
            assertThat(browser.find("[data-processor=" + p.path("provider").asText() + "]").getText())
                    .isEqualTo(p.path("provider").asText() + " " + (p.path("enabled").asBoolean() ? "configured" : "not configured"));
        }
        assertThat(payments.path("total").asLong()).isZero();
        assertThat(browser.find("#main .panel:last-child .empty").getText()).isEqualTo("No payments yet.");

        go("#/providers");
        for (JsonNode p : providers) {
            String row = "tr[data-key='" + p.path("id").asText() + "']";
            assertThat(browser.visible(row + " td[data-col=enabled]").getText())
                    .isEqualTo(p.path("enabled").asBoolean() ? "enabled" : "not configured");
            assertThat(browser.find(row + " td[data-col=status]").getText()).isEqualTo(p.path("status").asText());
        }
        assertThat(browser.find("tr[data-key='static'] td[data-col=enabled]").getText()).isEqualTo("enabled");
    }

    @Test
    void everyPageAtLaptopAndPhoneWidth() {
        signIn();
        browser.consoleErrors();
        List<String> pages = List.of("overview", "users", "instances", "loadbalancer", "payments", "providers");
        try {
            for (org.openqa.selenium.Dimension size : List.of(Browser.LAPTOP, Browser.PHONE)) {
                browser.resize(size);
                for (String page : pages) {
                    go("#/" + page);
                    assertThat(browser.all("#main .notice.error")).as("errors on %s", page).isEmpty();
                    // Nothing wider than the screen except inside the scrolling table wrappers.
                    Number overflow = (Number) browser.js("return document.documentElement.scrollWidth - window.innerWidth");
                    assertThat(overflow.intValue()).as("horizontal overflow of %s at %s px", page, size.width)
                            .isLessThanOrEqualTo(0);
                    browser.screenshot(page);
                }
            }
            browser.resize(Browser.PHONE);
            browser.find("#nav-toggle").click();
            browser.visible("#nav a[data-route=users]");
            browser.screenshot("navigation-open");
            browser.find("#nav a[data-route=users]").click();
            browser.waitUntil(d -> !d.findElement(By.id("nav")).isDisplayed());
            browser.loaded();
            // No script error and no Content-Security-Policy violation on any page.
            assertThat(browser.consoleErrors()).isEmpty();
            browser.find("#logout").click();
            browser.visible("#login-form");
            browser.screenshot("login");
        } finally {
            browser.resize(Browser.LAPTOP);
        }
    }

    private static String integer(long n) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US)).format(n);
    }

    private static String decimal(BigDecimal n, int places) {
        DecimalFormat format = new DecimalFormat("#,##0." + "#".repeat(places), DecimalFormatSymbols.getInstance(Locale.US));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(n);
    }

    private static String credits(BigDecimal n) {
        return decimal(n, 6);
    }
}
