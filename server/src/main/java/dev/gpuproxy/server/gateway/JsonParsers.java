package dev.gpuproxy.server.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Streaming JSON parsers over the bodies the gateway reads on the event loop (a generation request, the usage of an
 * answer). They read as Vert.x's own decoder does (comments allowed, Jackson's default limits), with two differences
 * that matter per request: a heap buffer is parsed in place instead of through an {@code InputStream} copy, and each
 * thread's Jackson buffers are found through Netty's {@link FastThreadLocal} (an array index on an event loop)
 * instead of Jackson's {@code ThreadLocal} of a {@code SoftReference}, which was about 0.7% of a proxied request.
 */
public final class JsonParsers {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .recyclerPool(new PerThreadBuffers())
            .build();

    private JsonParsers() {
    }

    /** A parser over the buffer's readable bytes. */
    public static JsonParser over(Buffer body) throws IOException {
        HeapBytes bytes = HeapBytes.of(body);
        return over(bytes.array(), bytes.offset(), bytes.length());
    }

    /** A parser over {@code length} bytes of {@code bytes} from {@code offset}. */
    public static JsonParser over(byte[] bytes, int offset, int length) throws IOException {
        return FACTORY.createParser(bytes, offset, length);
    }

    /**
     * One set of Jackson buffers per thread, like Jackson's default pool: a parser takes them when it is created and
     * gives them back when it is closed, on the same thread, so nothing is shared and nothing needs releasing.
     */
    private static final class PerThreadBuffers extends RecyclerPool.ThreadLocalPoolBase<BufferRecycler> {

        private static final long serialVersionUID = 1L;

        private static final FastThreadLocal<BufferRecycler> BUFFERS = new FastThreadLocal<>() {
            @Override
            protected BufferRecycler initialValue() {
                return new BufferRecycler();
            }
        };

        @Override
        public BufferRecycler acquirePooled() {
            return BUFFERS.get();
        }
    }
}
