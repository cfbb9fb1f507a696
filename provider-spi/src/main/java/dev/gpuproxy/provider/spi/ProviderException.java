package dev.gpuproxy.provider.spi;

import java.util.Objects;

/**
 * The one failure type adapters throw: it says what went wrong ({@link Kind}), whether trying again later may succeed,
 * and carries the provider's own message (never credentials).
 */
public class ProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is; each kind has a default retryability. */
    public enum Kind {
        /** The offer or instance does not exist (HTTP 404 or an empty answer). */
        NOT_FOUND(false),
        /** The offer existed but is no longer available (HTTP 410, already rented). */
        GONE(false),
        /** The provider rejected the request as invalid (HTTP 400/422 and similar). */
        INVALID_REQUEST(false),
        /** The credentials were rejected (HTTP 401/403). */
        UNAUTHORIZED(false),
        /** Too many requests (HTTP 429), still failing after the built-in retries. */
        RATE_LIMITED(true),
        /** The provider is down or failing (HTTP 5xx, connection refused or reset). */
        UNAVAILABLE(true),
        /** No answer within the configured timeout. */
        TIMEOUT(true),
        /** The provider answered with a body this adapter cannot understand. */
        MALFORMED_RESPONSE(false),
        /** The provider does not offer this operation. */
        UNSUPPORTED(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether a failure of this kind may succeed when tried again later. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final String provider;
    private final Kind kind;
    private final int httpStatus;

    /**
     * @param provider   id of the provider that failed, e.g. {@code vastai}
     * @param kind       what went wrong
     * @param httpStatus the HTTP status the provider answered, or 0 when there was no HTTP answer
     * @param message    what happened, including the provider's own message when it gave one
     * @param cause      the underlying exception, or {@code null}
     */
    public ProviderException(String provider, Kind kind, int httpStatus, String message, Throwable cause) {
        super(provider + ": " + message, cause);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
    }

    /** Maps an HTTP error status to the matching kind, keeping the status on the exception. */
    public static ProviderException forStatus(String provider, int httpStatus, String message) {
        return new ProviderException(provider, kindForStatus(httpStatus), httpStatus, message, null);
    }

    /** The kind an HTTP error status stands for; any other 4xx is taken as an invalid request. */
    public static Kind kindForStatus(int httpStatus) {
        return switch (httpStatus) {
            case 401, 403 -> Kind.UNAUTHORIZED;
            case 404 -> Kind.NOT_FOUND;
            case 408 -> Kind.TIMEOUT;
            case 410 -> Kind.GONE;
            case 429 -> Kind.RATE_LIMITED;
            default -> httpStatus >= 500 ? Kind.UNAVAILABLE : Kind.INVALID_REQUEST;
        };
    }

    public static ProviderException notFound(String provider, String message) {
        return new ProviderException(provider, Kind.NOT_FOUND, 0, message, null);
    }

    public static ProviderException gone(String provider, String message) {
        return new ProviderException(provider, Kind.GONE, 0, message, null);
    }

    public static ProviderException invalidRequest(String provider, String message) {
        return new ProviderException(provider, Kind.INVALID_REQUEST, 0, message, null);
    }

    public static ProviderException unavailable(String provider, String message, Throwable cause) {
        return new ProviderException(provider, Kind.UNAVAILABLE, 0, message, cause);
    }

    public static ProviderException timeout(String provider, String message, Throwable cause) {
        return new ProviderException(provider, Kind.TIMEOUT, 0, message, cause);
    }

    public static ProviderException malformed(String provider, String message, Throwable cause) {
        return new ProviderException(provider, Kind.MALFORMED_RESPONSE, 0, message, cause);
    }

    /** The provider does not support {@code operation} (for example {@code stop}). */
    public static ProviderException unsupported(String provider, String operation) {
        return new ProviderException(provider, Kind.UNSUPPORTED, 0, operation + " is not supported by this provider", null);
    }

    /** Id of the provider that failed. */
    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether trying the same operation again later may succeed. */
    public boolean retryable() {
        return kind.retryable();
    }

    /** The provider's HTTP status, or 0 when the failure was not an HTTP answer (timeout, connection, parsing). */
    public int httpStatus() {
        return httpStatus;
    }
}
