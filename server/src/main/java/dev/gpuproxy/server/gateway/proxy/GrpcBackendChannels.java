package dev.gpuproxy.server.gateway.proxy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One long-lived gRPC channel per Open Inference gRPC backend ({@code grpc://host:port} plaintext,
 * {@code grpcs://host:port} TLS): HTTP/2 multiplexes every call to that backend over it.
 */
@ApplicationScoped
public class GrpcBackendChannels {

    /**
     * What a gRPC backend may answer; Triton's outputs can be far larger than gRPC's 4 MiB default. The same as the
     * server's quarkus.grpc.server.max-inbound-message-size for requests.
     */
    static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** Whether {@code url} names a gRPC endpoint rather than an HTTP one. */
    public static boolean isGrpc(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("grpc://") || lower.startsWith("grpcs://");
    }

    public ManagedChannel channel(String url) {
        return channels.computeIfAbsent(url, GrpcBackendChannels::open);
    }

    private static ManagedChannel open(String url) {
        URI uri = URI.create(url);
        boolean tls = "grpcs".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forAddress(uri.getHost(), port)
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .userAgent("gpuproxy");
        return (tls ? builder.useTransportSecurity() : builder.usePlaintext()).build();
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
