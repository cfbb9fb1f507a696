package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A failure's reason as a client reads it: its kind, never the backend's address from the exception's message. */
class FailureReasonsTest {

    @Test
    void reasonsNameTheKindOfFailureAndNeverTheAddress() {
        String at = "/10.0.0.5:8000";
        Map<Throwable, String> reasons = Map.of(
                new io.netty.channel.ConnectTimeoutException("connection timed out after 5000 ms: " + at),
                "connecting timed out",
                new ConnectException("Connection refused: " + at), "connection refused",
                new NoRouteToHostException("No route to host: " + at), "no route to the backend",
                new UnknownHostException("gpu-7.internal.example"), "unknown host",
                new NoStackTraceTimeoutException("The timeout of 5000 ms has been exceeded when getting a connection to "
                        + "10.0.0.5:8000"), "no connection within GATEWAY_CONNECT_TIMEOUT",
                new SSLHandshakeException("PKIX path building failed for 10.0.0.5"), "TLS failed",
                new StreamResetException(8), "stream reset",
                new HttpClosedException("Connection was closed"), "connection closed",
                new VertxException("Connection was closed"), "connection closed",
                new IOException("Broken pipe to 10.0.0.5:8000"), "connection failed (IOException)");
        reasons.forEach((error, reason) -> {
            assertThat(FailureReasons.of(error)).as(error.toString()).isEqualTo(reason)
                    .doesNotContain("10.0.0.5").doesNotContain("8000").doesNotContain("internal.example");
        });
    }
}
