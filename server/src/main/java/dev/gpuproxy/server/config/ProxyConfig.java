package dev.gpuproxy.server.config;

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
}
