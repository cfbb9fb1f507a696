package dev.gpuproxy.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The generic HTTP envelope and instance pass-through (environment variables PROXY_*). */
@ConfigMapping(prefix = "proxy")
public interface ProxyConfig {

    /**
     * PROXY_ALLOWED_CIDRS: comma-separated CIDRs (e.g. {@code 10.0.0.0/8,127.0.0.1/32}) that proxied targets may resolve
     * to even though they are loopback, link-local, private or unspecified. Default: none, so only public addresses.
     */
    @WithDefault("${PROXY_ALLOWED_CIDRS:}")
    Optional<String> allowedCidrs();

    /**
     * PROXY_MAX_BUFFERED_RESPONSE: the largest answer the envelope reads into memory when the call does not ask for
     * {@code stream_response}; a larger one is refused with 502 {@code target_answer_too_large}. Default 16M.
     */
    @WithDefault("${PROXY_MAX_BUFFERED_RESPONSE:16M}")
    MemorySize maxBufferedResponse();
}
