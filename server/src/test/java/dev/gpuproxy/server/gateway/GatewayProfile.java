package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.testsupport.PostgresProfile;
import dev.gpuproxy.server.testsupport.PostgresResource;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL + Redis, with local upstream stubs and hosted-API keys from the environment (nvidia, anthropic). */
public class GatewayProfile extends PostgresProfile {

    static final UpstreamStub NVIDIA = new UpstreamStub("nvidia");
    static final UpstreamStub ANTHROPIC = new UpstreamStub("anthropic");

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resources.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Health checks run only when a test asks (HealthCheckerTest), so they never count as upstream traffic.
        // WebSocket pings and load snapshots come often enough for WebSocketStreamTest to see them.
        // Buffered envelope answers are capped at 64K, so ProxyEnvelopeTest can pass the cap with a small answer.
        return withBase(Map.of("proxy.max-buffered-response", "64K", "lb.refresh-interval", "1s", "lb.health-interval", "off",
                "quarkus.websockets-next.server.auto-ping-interval", "1s", "stream.load-interval", "500ms"));
    }

    public static class Resources implements QuarkusTestResourceLifecycleManager {
        private final PostgresResource postgres = new PostgresResource();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(postgres.start());
            config.put("NVIDIA_API_KEYS", "nvapi-key-one-0001,nvapi-key-two-0002");
            config.put("ANTHROPIC_API_KEYS", "sk-ant-key-0003");
            config.put("PROVIDER_KEY_RPM", "4");
            config.put("SERVICE_ENDPOINTS", "{\"nvidia\":[\"" + NVIDIA.baseUrl() + "\"],\"anthropic\":[\""
                    + ANTHROPIC.baseUrl() + "\"]}");
            return config;
        }

        @Override
        public void stop() {
            postgres.stop();
        }
    }
}
