package dev.gpuproxy.server.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;

/**
 * A buffer's readable bytes as a range of an array, for the gateway's byte scanners and parsers: the buffer's own
 * array when it has one (Vert.x's heap buffers and their slices, so nothing is copied per request or per event), a copy
 * only for a direct buffer.
 */
public record HeapBytes(byte[] array, int offset, int length) {

    public static HeapBytes of(Buffer buffer) {
        ByteBuf bytes = buffer.getByteBuf();
        if (bytes.hasArray()) {
            return new HeapBytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        return new HeapBytes(ByteBufUtil.getBytes(bytes), 0, bytes.readableBytes());
    }

    /** The index just past the last byte. */
    public int end() {
        return offset + length;
    }
}
