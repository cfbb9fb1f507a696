package dev.gpuproxy.server.common.error;

import java.util.Map;

/**
 * A failure the API reports to its caller: an HTTP status, a stable machine-readable {@code code} and a
 * human-readable {@code detail}. Services throw it; {@link ProblemMappers} turns it into problem+json.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, Map.of(), Map.of());
    }

    public ApiException(int status, String code, String detail, Map<String, Object> extensions,
                        Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    /** Extra members of the problem body (for example what was available when a request could not be met). */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Response headers that belong to this error (Retry-After, WWW-Authenticate, ...). */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad_request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }
}
