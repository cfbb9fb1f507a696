package dev.gpuproxy.lb;

/** Why an attempt against a backend failed; each kind affects the backend differently. */
public enum FailureKind {
    /** Connection refused, reset or timed out before an answer: counts towards ejection. */
    CONNECT,
    /** 5xx from the backend: counts towards ejection. */
    SERVER_ERROR,
    /** 429: the backend (or its key) is cooling down until Retry-After; not an ejection. */
    RATE_LIMITED,
    /** 401/403: the backend's credential is refused; that key is disabled. */
    BAD_CREDENTIAL,
    /** The client's own 4xx: no penalty for the backend. */
    CLIENT_ERROR
}
