package dev.gpuproxy.server.gateway.proxy;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What a client may read about a backend that could not be reached or failed mid-answer: the kind of failure, never
 * the exception's message. The JDK's, Netty's and Vert.x's messages name the backend's host and port, and a backend's
 * address is the operator's (the gateway shows clients a backend's id, never its URL).
 */
final class FailureReasons {

    private FailureReasons() {
    }

    static String of(Throwable error) {
        if (error instanceof io.netty.channel.ConnectTimeoutException) {
            return "connecting timed out";
        }
        if (error instanceof NoRouteToHostException) {
            return "no route to the backend";
        }
        if (error instanceof ConnectException) {
            return "connection refused";
        }
        if (error instanceof UnknownHostException) {
            return "unknown host";
        }
        if (error instanceof TimeoutException) {
            return "no connection within GATEWAY_CONNECT_TIMEOUT";
        }
        if (error instanceof SSLException) {
            return "TLS failed";
        }
        if (error instanceof StreamResetException) {
            return "stream reset";
        }
        if (error instanceof HttpClosedException || error instanceof ClosedChannelException
                || error instanceof VertxException && "Connection was closed".equals(error.getMessage())) {
            return "connection closed";
        }
        return "connection failed (" + error.getClass().getSimpleName() + ")";
    }
}
