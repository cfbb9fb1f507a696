package dev.gpuproxy.server.billing.afterdark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.server.billing.service.PaymentOrder;
import dev.gpuproxy.server.billing.service.PaymentProcessor;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStart;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.billing.service.Pricing;
import dev.gpuproxy.server.billing.service.ProcessorFailure;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Invoices the user's account on file at AfterDark ({@code POST {AFTERDARK_API_URL}/checkout}). Each call has a
 * timeout; timeouts, 429 (after its Retry-After), 409 without a transaction and 5xx are retried a bounded number of
 * times with the same reference (sent as the body's {@code reference} and the {@code Idempotency-Key} header), so
 * AfterDark charges once however often we ask. A reference it has seen is answered with the original transaction,
 * which counts as success. Only 402 is a decline and only 401/403 a refusal (nothing charged); every other answer
 * leaves the payment pending, to be asked again with the same reference. No card data is ever sent: the charge goes to
 * the account on file.
 */
@ApplicationScoped
public class AfterDarkProcessor implements PaymentProcessor {

    static final String ACCOUNT_ON_FILE = "account_on_file";
    /**
     * Longest Retry-After of a 429 that is waited out inside the tenant's request; a longer one ends the request with
     * the payment pending and the same Retry-After for the tenant.
     */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(5);

    private final BillingConfig.AfterDark config;
    private final Pricing pricing;
    private final ObjectMapper json;
    private final HttpClient http;

    AfterDarkProcessor(BillingConfig config, Pricing pricing, ObjectMapper json) {
        this.config = config.afterDark();
        this.pricing = pricing;
        this.json = json;
        if (this.config.maxAttempts() < 1 || this.config.maxAttempts() > 10) {
            throw new IllegalArgumentException("AFTERDARK_MAX_ATTEMPTS must be 1..10");
        }
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
    }

    @Override
    public PaymentProvider provider() {
        return PaymentProvider.AFTERDARK;
    }

    @Override
    public boolean enabled() {
        return config.apiKey().isPresent();
    }

    @Override
    public Quote quote(BigDecimal amount, String currency) {
        String code = currency == null || currency.isBlank() ? "usd" : currency.trim().toLowerCase(Locale.ROOT);
        if (!code.equals("usd")) {
            throw ApiException.badRequest("AfterDark payments are in usd");
        }
        BigDecimal checked = Pricing.checkAmount(amount, 2, "usd").setScale(2);
        return new Quote(checked, code, pricing.credits(checked, code));
    }

    @Override
    public PaymentStart start(PaymentOrder order) {
        return charge(order);
    }

    @Override
    public boolean chargesSavedMethods() {
        return true;
    }

    @Override
    public PaymentStart chargeSaved(PaymentOrder order, SavedMethod method) {
        return charge(order);
    }

    private PaymentStart charge(PaymentOrder order) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", order.amount().toPlainString());
        body.put("currency", order.currency());
        body.put("payment_method", ACCOUNT_ON_FILE);
        body.put("customer_reference", "gpuproxy-user-" + order.userId());
        body.put("reference", order.reference());
        body.put("description", "gpuproxy credits, payment " + order.paymentId());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(config.apiUrl().replaceAll("/+$", "") + "/checkout"))
                    .timeout(config.timeout())
                    .header("Authorization", "Bearer " + config.apiKey().orElseThrow())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Idempotency-Key", order.reference())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String lastProblem = "no answer";
        boolean timedOut = false;
        Duration wait = Duration.ZERO;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(wait.isZero() ? backoff(attempt) : wait);
            }
            wait = Duration.ZERO;
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                lastProblem = "timed out after " + config.timeout().toMillis() + " ms";
                timedOut = true;
                Log.warnf("AfterDark charge %s attempt %d/%d %s", order.reference(), attempt, config.maxAttempts(), lastProblem);
                continue;
            } catch (IOException e) {
                lastProblem = "could not be reached (" + e.getClass().getSimpleName() + ")";
                timedOut = false;
                Log.warnf("AfterDark charge %s attempt %d/%d %s", order.reference(), attempt, config.maxAttempts(), lastProblem);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ProcessorFailure.unavailable("Interrupted while charging through AfterDark");
            }
            timedOut = false;
            int status = response.statusCode();
            JsonNode answer = parse(response.body());
            String transactionId = answer.path("transaction_id").asText(null);
            if ((status / 100 == 2 || status == 409) && transactionId != null && !transactionId.isBlank()) {
                // 409 with the transaction: AfterDark saw this reference before and charged it then.
                return success(transactionId, status == 409);
            }
            if (status == 402) {
                // The one answer that says the account was not charged because it cannot pay.
                throw ProcessorFailure.declined("AfterDark declined the charge: " + message(answer, status));
            }
            if (status == 401 || status == 403) {
                // Nothing was charged: AfterDark did not accept who we are.
                Log.errorf("AfterDark refused the server's key (HTTP %d); check AFTERDARK_API_KEY", status);
                throw ProcessorFailure.refused("AfterDark refused this server's credentials");
            }
            if (status == 409 || status == 429 || status >= 500) {
                // 409 without a transaction: the reference is known but its charge is still being decided (it may
                // already be charged), so ask again with the same reference rather than calling it failed.
                lastProblem = "answered HTTP " + status;
                Log.warnf("AfterDark charge %s attempt %d/%d %s", order.reference(), attempt, config.maxAttempts(), lastProblem);
                if (status == 429) {
                    Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After"),
                            Instant.now());
                    if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_WAIT) > 0) {
                        throw stillPending("AfterDark is rate limiting this server and asks to wait "
                                + retryAfter.get().toSeconds() + " s", retryAfter.get());
                    }
                    wait = retryAfter.orElse(Duration.ZERO);
                }
                continue;
            }
            // 2xx without a transaction, or another 4xx (400, 404, 422: a wrong AFTERDARK_API_URL or a contract
            // change): we cannot tell whether anything was charged, so the payment stays pending, not declined.
            Log.errorf("AfterDark answered HTTP %d without a transaction id for charge %s; check AFTERDARK_API_URL (%s)",
                    status, order.reference(), config.apiUrl());
            throw new ProcessorFailure(502, "payment_provider_error", "AfterDark answered HTTP " + status
                    + " without a transaction (" + message(answer, status) + "); the payment stays pending: retry with"
                    + " the same Idempotency-Key", true);
        }
        String detail = "AfterDark " + lastProblem + " after " + config.maxAttempts()
                + " attempts; the payment stays pending: retry with the same Idempotency-Key";
        if (!wait.isZero()) {
            // The last answer was a 429 whose wait we did not get to: hand it on.
            throw stillPending(detail.substring(0, detail.indexOf(";")), wait);
        }
        throw new ProcessorFailure(timedOut ? 504 : 502,
                timedOut ? "payment_provider_timeout" : "payment_provider_unavailable", detail, true);
    }

    private static ProcessorFailure stillPending(String why, Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toMillisPart() > 0 ? 1 : 0));
        return new ProcessorFailure(502, "payment_provider_unavailable", why + "; the payment stays pending: retry"
                + " with the same Idempotency-Key after that", true, Map.of("Retry-After", String.valueOf(seconds)));
    }

    private static PaymentStart success(String transactionId, boolean duplicate) {
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("type", "none");
        next.put("transaction_id", transactionId);
        if (duplicate) {
            next.put("duplicate_reference", true);
        }
        return new PaymentStart(transactionId, null, PaymentStatus.SUCCEEDED, next, null);
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** AfterDark's own words, cut short (they never contain card data: none is sent). */
    private static String message(JsonNode answer, int status) {
        JsonNode error = answer.path("error");
        String text = error.isTextual() ? error.asText()
                : error.path("message").asText(answer.path("message").asText("HTTP " + status));
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(2000L, 100L * (1L << (attempt - 1))));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
