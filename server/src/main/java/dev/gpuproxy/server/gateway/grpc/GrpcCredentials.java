package dev.gpuproxy.server.gateway.grpc;

import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Carries a gRPC call's credential (metadata {@code authorization: Bearer gpx_...} or {@code x-api-key}, as the HTTP
 * routes read them) and the caller's address into the call's {@link Context}, where the service reads them.
 */
@ApplicationScoped
public class GrpcCredentials implements ServerInterceptor {

    static final Context.Key<String> CREDENTIAL = Context.key("gpuproxy-credential");
    static final Context.Key<String> IP = Context.key("gpuproxy-ip");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String credential = CredentialAuthMechanism.credentialOf(name ->
                headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)));
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String ip = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
        return Contexts.interceptCall(Context.current().withValue(CREDENTIAL, credential).withValue(IP, ip), call,
                headers, next);
    }
}
