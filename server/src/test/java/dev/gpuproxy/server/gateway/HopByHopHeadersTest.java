package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.gateway.proxy.HopByHopHeaders;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void dropsTheFixedListWhateverTheCase() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Keep-Alive", "timeout=5").add("TE", "trailers").add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c").add("Proxy-Connection", "keep-alive").add("Trailer", "X-Checksum")
                .add("Proxy-Authenticate", "Basic").add("Proxy-Authorization", "Basic eA==")
                .add("content-length", "12").add("CONNECTION", "keep-alive").add("Content-Type", "application/json")
                // as long as a hop-by-hop name (proxy-connection, connection), but end-to-end
                .add("Content-Encoding", "gzip").add("X-Connects", "1").add("X-Trailer", "2");

        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(from, to);

        assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Content-Encoding", "X-Connects", "X-Trailer");
    }

    @Test
    void dropsTheHeadersTheConnectionHeaderNames() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "close, X-Hop-Trace").add("Connection", " x-backend-session ")
                .add("X-Hop-Trace", "1").add("X-Backend-Session", "abc").add("X-Request-Id", "r-1");

        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(from, to);

        assertThat(to.names()).containsExactly("X-Request-Id");
    }

    @Test
    void dropsWhatTheCopyingSideSetsItself() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap().add("Host", "gateway.example").add("Accept", "*/*");

        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(from, to, "host");

        assertThat(to.names()).containsExactly("Accept");
        assertThat(HopByHopHeaders.of(from).isHopByHop("Host")).isFalse();
    }

    @Test
    void keepsRepeatedEndToEndHeaders() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");

        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(from, to);

        assertThat(to.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    }
}
