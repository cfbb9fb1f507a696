package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.server.gateway.route.McpOriginPolicy;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DNS rebinding on /mcp: the Host must be ours, whatever the Origin says. */
class McpOriginPolicyTest {

    /** A ServerConfig answering only what the policy reads (a proxy, so new settings do not break this test). */
    private static McpOriginPolicy policy(String allowedHosts, String corsOrigins) {
        ServerConfig config = (ServerConfig) Proxy.newProxyInstance(ServerConfig.class.getClassLoader(),
                new Class<?>[] {ServerConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "allowedHosts" -> Optional.ofNullable(allowedHosts);
                    case "corsOrigins" -> Optional.ofNullable(corsOrigins);
                    // The policy reads only what the cases above answer; any other call fails the test loudly.
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new McpOriginPolicy(config);
    }

    private static String refusal(McpOriginPolicy policy, String host, String origin) {
        return policy.check(host, origin).map(McpOriginPolicy.Refusal::code).orElse(null);
    }

    @Test
    void withAllowedHostsOnlyTheServersNamesPass() {
        McpOriginPolicy policy = policy("gpu.example.com, localhost", null);
        assertThat(refusal(policy, "evil.example:8080", "http://evil.example:8080")).isEqualTo("host_not_allowed");
        assertThat(refusal(policy, "evil.example", null)).isEqualTo("host_not_allowed");
        assertThat(refusal(policy, null, null)).isEqualTo("host_not_allowed");
        assertThat(refusal(policy, "GPU.example.com:443", "https://gpu.example.com:443")).isNull();
        assertThat(refusal(policy, "gpu.example.com", null)).isNull();
        assertThat(refusal(policy, "localhost:8080", "http://localhost:8080")).isNull();
        assertThat(refusal(policy, "gpu.example.com", "https://other.example")).isEqualTo("origin_not_allowed");
    }

    @Test
    void withoutAllowedHostsBrowsersNeedAnAddressLocalhostOrAListedOrigin() {
        McpOriginPolicy policy = policy(null, "https://app.example.com");
        assertThat(refusal(policy, "evil.example:8080", "http://evil.example:8080")).isEqualTo("host_not_allowed");
        assertThat(refusal(policy, "evil.example:8080", "https://other.example")).isEqualTo("origin_not_allowed");
        assertThat(refusal(policy, "gpu.example.com", "https://app.example.com")).isNull();
        assertThat(refusal(policy, "127.0.0.1:8080", "http://127.0.0.1:8080")).isNull();
        assertThat(refusal(policy, "[::1]:8080", "http://[::1]:8080")).isNull();
        assertThat(refusal(policy, "localhost:8080", "http://localhost:8080")).isNull();
        // Clients that are not browsers send no Origin.
        assertThat(refusal(policy, "gpu.example.com", null)).isNull();
    }
}
