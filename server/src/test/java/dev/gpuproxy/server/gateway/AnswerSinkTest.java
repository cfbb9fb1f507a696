package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.gateway.metering.UsageTracker;
import dev.gpuproxy.server.gateway.proxy.AnswerSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a relayed answer reaches the client: a small answer of known length in one write, anything else as it comes. */
class AnswerSinkTest {

    /** The calls that put bytes on the wire, in order: "write:<bytes>" or "end:<bytes>". */
    private final List<String> wire = new ArrayList<>();

    private HttpServerResponse recordingResponse() {
        return (HttpServerResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "write", "end" -> {
                            if (args != null && args.length > 0) {
                                wire.add(method.getName() + ":" + args[0]);
                            } else {
                                wire.add(method.getName() + ":");
                            }
                            return null;
                        }
                        case "writeQueueFull" -> {
                            return false;
                        }
                        // Any other call on the response is one the sink must not make: failing loudly proves it.
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void aSmallAnswerOfKnownLengthGoesOutInOneWrite() {
        AnswerSink sink = AnswerSink.forLength(recordingResponse(), "17");
        sink.write(Buffer.buffer("{\"id\":"));
        sink.write(Buffer.buffer("\"a\","));
        sink.write(Buffer.buffer("\"n\":1}"));
        assertThat(sink.full()).isFalse();
        sink.end(Buffer.buffer());

        assertThat(wire).containsExactly("end:{\"id\":\"a\",\"n\":1}");
        assertThat(sink.held().toString()).isEqualTo("{\"id\":\"a\",\"n\":1}");
    }

    @Test
    void anAnswerOfUnknownOrLargeLengthIsWrittenAsItArrives() {
        for (String length : new String[] {null, "not-a-number", String.valueOf(UsageTracker.MAX_PARSED_BYTES + 1L)}) {
            wire.clear();
            AnswerSink sink = AnswerSink.forLength(recordingResponse(), length);
            sink.write(Buffer.buffer("a"));
            sink.write(Buffer.buffer("b"));
            sink.end(Buffer.buffer());
            assertThat(sink.holdsWhole()).as(length).isFalse();
            assertThat(wire).as(length).containsExactly("write:a", "write:b", "end:");
        }
    }

    @Test
    void aStreamIsWrittenAsItArrives() {
        AnswerSink sink = AnswerSink.writeThrough(recordingResponse());
        sink.write(Buffer.buffer("data: 1\n\n"));
        sink.end(Buffer.buffer("data: [DONE]\n\n"));
        assertThat(wire).containsExactly("write:data: 1\n\n", "end:data: [DONE]\n\n");
    }
}
