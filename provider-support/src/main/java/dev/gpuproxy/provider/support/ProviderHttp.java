package dev.gpuproxy.provider.support;

import dev.gpuproxy.provider.spi.ProviderConfig;
import dev.gpuproxy.provider.spi.ProviderException;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The HTTP client every adapter talks through: JSON requests with the provider's auth header, a per-request
 * timeout, retries on 429/502/503/504 and connection failures (resilience4j, waiting as the provider's
 * {@code Retry-After} asks or else with the {@link RetryPolicy}'s backoff), and every failure turned into a
 * {@link ProviderException} that carries the provider's message with secrets blanked out.
 */
public final class ProviderHttp {

    /** Statuses worth repeating at once: rate limits and gateway/overload answers (as the vast.ai CLI does). */
    private static final Set<Integer> RETRY_STATUSES = Set.of(429, 502, 503, 504);
    private static final int MAX_MESSAGE_CHARS = 500;
    private static final System.Logger LOG = System.getLogger(ProviderHttp.class.getName());

    private final String provider;
    private final URI baseUrl;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final ErrorMessageReader errorMessages;
    private final Retry retry;
    private final HttpClient client;

    private ProviderHttp(Builder builder) {
        this.provider = builder.provider;
        this.baseUrl = builder.baseUrl;
        this.timeout = builder.timeout;
        this.headers = Map.copyOf(builder.headers);
        this.secrets = List.copyOf(builder.secrets);
        this.errorMessages = builder.errorMessages;
        this.retry = retryFor(builder.retryPolicy);
        this.client = builder.client != null ? builder.client
                : HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public static Builder builder(String provider, URI baseUrl) {
        return new Builder(provider, baseUrl);
    }

    /** Turns a successful response body into a value; any exception it throws means the body was malformed. */
    @FunctionalInterface
    public interface BodyParser<T> {
        T parse(String body) throws Exception;
    }

    /** Extracts the provider's human-readable message from an error response body. */
    @FunctionalInterface
    public interface ErrorMessageReader {
        /** Default: the body itself, trimmed. */
        ErrorMessageReader PLAIN_TEXT = (status, body) -> body.strip();

        String read(int status, String body) throws Exception;
    }

    /** {@code GET path} and parse the 2xx body. */
    public <T> T get(String pathAndQuery, BodyParser<T> parser) {
        return send("GET", pathAndQuery, null, parser);
    }

    /**
     * Sends a request and parses the 2xx body.
     *
     * @param method        HTTP method
     * @param pathAndQuery  path below the base URL, starting with {@code /}, with its query string
     * @param jsonBody      request body (sent as {@code application/json}), or null for none
     * @throws ProviderException for any non-2xx answer, timeout, connection failure or unreadable body
     */
    public <T> T send(String method, String pathAndQuery, String jsonBody, BodyParser<T> parser) {
        HttpResponse<String> response = exchange(method, pathAndQuery, jsonBody);
        try {
            return parser.parse(response.body());
        } catch (ProviderException e) {
            throw e;
        } catch (Exception e) {
            throw ProviderException.malformed(provider,
                    "unreadable answer to " + method + " " + pathOf(pathAndQuery) + ": " + redact(e.getMessage()), e);
        }
    }

    private HttpResponse<String> exchange(String method, String pathAndQuery, String jsonBody) {
        HttpRequest request = request(method, pathAndQuery, jsonBody);
        String what = method + " " + pathOf(pathAndQuery);
        try {
            return retry.executeSupplier(() -> attempt(request, what));
        } catch (TransientFailure last) {
            if (Thread.currentThread().isInterrupted()) {
                // resilience4j gives up with the last failure when its wait is interrupted; say what really happened.
                throw ProviderException.unavailable(provider, what + " was interrupted", last.failure);
            }
            throw last.failure;
        }
    }

    /** One try: the 2xx response, or a {@link TransientFailure} worth repeating, or the final ProviderException. */
    private HttpResponse<String> attempt(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            ProviderException failure = ProviderException.forStatus(provider, status,
                    what + " answered HTTP " + status + ": " + errorMessage(status, response.body()));
            if (RETRY_STATUSES.contains(status)) {
                throw new TransientFailure(failure,
                        RetryAfter.parse(response.headers().firstValue("Retry-After"), Clock.systemUTC()));
            }
            throw failure;
        } catch (HttpConnectTimeoutException e) {
            // A connect timeout means nothing was sent, so it is as safe to repeat as a refused connection.
            throw new TransientFailure(
                    ProviderException.unavailable(provider, "could not connect for " + what + " within " + timeout, e),
                    Optional.empty());
        } catch (HttpTimeoutException e) {
            // The provider may still be working on it (a rental may go through), so do not pile on repeats.
            throw ProviderException.timeout(provider, what + " got no answer within " + timeout, e);
        } catch (IOException e) {
            throw new TransientFailure(ProviderException.unavailable(provider, "could not reach provider for " + what
                    + ": " + redact(String.valueOf(e.getMessage())), e), Optional.empty());
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        }
    }

    /**
     * The resilience4j retry for one client: repeats {@link TransientFailure}s up to the policy's count, waiting
     * what the provider's Retry-After asks (unless that is longer than the policy will wait) or else the backoff.
     */
    private Retry retryFor(RetryPolicy policy) {
        RetryConfig config = RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(policy.maxRetries() + 1)
                .retryOnException(e -> e instanceof TransientFailure repeatable
                        && repeatable.retryAfter.map(policy::willWait).orElse(true))
                .intervalBiFunction((Integer retryNumber, Either<Throwable, HttpResponse<String>> outcome) ->
                        waitBefore(policy, retryNumber, outcome).toMillis())
                .build();
        Retry result = Retry.of(provider, config);
        // Failure messages are already redacted, so they are safe to log.
        result.getEventPublisher().onRetry(event -> LOG.log(System.Logger.Level.DEBUG, "{0}; retry {1} in {2} ms",
                event.getLastThrowable().getMessage(), event.getNumberOfRetryAttempts(),
                event.getWaitInterval().toMillis()));
        return result;
    }

    private static Duration waitBefore(RetryPolicy policy, int retryNumber,
                                       Either<Throwable, HttpResponse<String>> outcome) {
        Optional<Duration> askedFor = outcome.isLeft() && outcome.getLeft() instanceof TransientFailure repeatable
                ? repeatable.retryAfter : Optional.empty();
        return askedFor.orElseGet(() -> policy.delayBefore(retryNumber));
    }

    /** What resilience4j sees of retries; tests read the waits from it. */
    Retry.EventPublisher retryEvents() {
        return retry.getEventPublisher();
    }

    /**
     * A failure worth another try (see {@link #RETRY_STATUSES} and connection failures), carrying the
     * ProviderException to throw if it is the last one and the provider's Retry-After, if it sent one.
     */
    private static final class TransientFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final ProviderException failure;
        private final transient Optional<Duration> retryAfter;

        TransientFailure(ProviderException failure, Optional<Duration> retryAfter) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    private HttpRequest request(String method, String pathAndQuery, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "gpuproxy");
        headers.forEach(builder::header);
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private ProviderException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return ProviderException.unavailable(provider, what + " was interrupted", e);
    }

    private String errorMessage(int status, String body) {
        String message;
        try {
            message = errorMessages.read(status, body == null ? "" : body);
        } catch (Exception unreadable) {
            // Error bodies are often not the documented JSON (proxies, plain-text 429s); show them as they are.
            message = body;
        }
        if (message == null || message.isBlank()) {
            message = "(no message)";
        }
        message = redact(message.strip());
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message;
    }

    private String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    /** The path without its query string, which is enough to say what failed. */
    private static String pathOf(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    /** Encodes one path segment (an offer or instance id) so it cannot change the path. */
    public static String segment(String value) {
        Objects.requireNonNull(value, "id");
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?k=v&...} with values URL-encoded, in the map's order, skipping null values. */
    public static String withQuery(String path, Map<String, ?> params) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((name, value) -> {
            if (value != null) {
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return path + query;
    }

    /** Configures a {@link ProviderHttp}; only the provider id and base URL are required. */
    public static final class Builder {
        private final String provider;
        private final URI baseUrl;
        private Duration timeout = ProviderConfig.DEFAULT_TIMEOUT;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> secrets = new ArrayList<>();
        private ErrorMessageReader errorMessages = ErrorMessageReader.PLAIN_TEXT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private HttpClient client;

        private Builder(String provider, URI baseUrl) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Longest wait for one answer (and for connecting). */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        /** A header sent with every request. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A header that carries a credential: sent with every request, and blanked out of every message. */
        public Builder secretHeader(String name, String value, String secret) {
            headers.put(name, value);
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
            }
            return this;
        }

        public Builder errorMessages(ErrorMessageReader value) {
            this.errorMessages = Objects.requireNonNull(value, "errorMessages");
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** A shared client; by default each {@link ProviderHttp} builds its own. */
        public Builder httpClient(HttpClient value) {
            this.client = value;
            return this;
        }

        public ProviderHttp build() {
            return new ProviderHttp(this);
        }
    }
}
