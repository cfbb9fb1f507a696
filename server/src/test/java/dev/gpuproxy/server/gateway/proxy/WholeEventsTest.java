package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A metered stream is passed on in whole events, whatever chunks it arrives in, and nothing is lost or repeated. */
class WholeEventsTest {

    private static final String FIRST = "data: {\"choices\":[{\"delta\":{\"content\":\"h\u00e9\"}}]}\n\n";
    private static final String SECOND = "event: x\r\ndata: {\"a\":1}\r\n\r\n";
    private static final String THIRD = "data: [DONE]\n\n";
    private static final String UNFINISHED = "data: {\"cut\":";
    private static final byte[] STREAM = (FIRST + SECOND + THIRD + UNFINISHED).getBytes(StandardCharsets.UTF_8);

    @Test
    void everySplitIntoThreeChunksGivesTheSameEventsOnceEachAndKeepsTheUnfinishedOne() {
        for (int a = 0; a <= STREAM.length; a++) {
            for (int b = a; b <= STREAM.length; b++) {
                WholeEvents events = new WholeEvents();
                List<String> seen = new ArrayList<>();
                List<Buffer> sent = new ArrayList<>();
                for (int[] range : new int[][] {{0, a}, {a, b}, {b, STREAM.length}}) {
                    // a slice of a larger array, as a chunk may be
                    Buffer chunk = Buffer.buffer(STREAM).slice(range[0], range[1]);
                    events.add(chunk);
                    for (Buffer event; (event = events.next()) != null; ) {
                        seen.add(event.toString(StandardCharsets.UTF_8));
                    }
                    sent.add(events.whole());
                }
                String split = "split at " + a + " and " + b;
                assertThat(seen).as(split).containsExactly(FIRST, SECOND, THIRD);
                // read after every chunk was added: what was handed on earlier was not changed by later chunks
                Buffer all = Buffer.buffer();
                sent.forEach(all::appendBuffer);
                assertThat(all.toString(StandardCharsets.UTF_8)).as(split).isEqualTo(FIRST + SECOND + THIRD);
                assertThat(events.tail().toString(StandardCharsets.UTF_8)).as(split).isEqualTo(UNFINISHED);
            }
        }
    }

    @Test
    void theEventsBeforeTheLastOneReadAreWhatMayStillGoOutWhenAStreamIsCut() {
        WholeEvents events = new WholeEvents();
        events.add(Buffer.buffer(FIRST.substring(0, 10)));
        assertThat(events.next()).isNull();
        events.add(Buffer.buffer(FIRST.substring(10) + SECOND + THIRD));
        assertThat(events.next().toString(StandardCharsets.UTF_8)).isEqualTo(FIRST);
        assertThat(events.beforeLast().length()).isZero();
        assertThat(events.next().toString(StandardCharsets.UTF_8)).isEqualTo(SECOND);
        assertThat(events.beforeLast().toString(StandardCharsets.UTF_8)).isEqualTo(FIRST);
        assertThat(events.next().toString(StandardCharsets.UTF_8)).isEqualTo(THIRD);
        assertThat(events.beforeLast().toString(StandardCharsets.UTF_8)).isEqualTo(FIRST + SECOND);
        assertThat(events.next()).isNull();
    }

    @Test
    void aChunkOfWholeEventsIsPassedOnAsItIsWithoutACopy() {
        WholeEvents events = new WholeEvents();
        Buffer chunk = Buffer.buffer(FIRST + THIRD);
        events.add(chunk);
        while (events.next() != null) {
            // counted one by one in the gateway
        }
        assertThat(events.whole()).isSameAs(chunk);
        assertThat(events.tail().length()).isZero();
    }

    /**
     * A held stream waits seconds for its next chunk: the chunk it last passed on must be garbage by then, or every
     * young collection copies one chunk per stream held.
     */
    @Test
    void aChunkPassedOnIsNotKeptUntilTheNextOneOnlyAnUnfinishedEventIs() {
        WholeEvents events = new WholeEvents();
        WeakReference<Buffer> passedOn = addAndPassOn(events, FIRST + UNFINISHED);
        for (int i = 0; i < 20 && passedOn.get() != null; i++) {
            System.gc();
        }
        assertThat(passedOn.get()).as("the chunk, after its events went out").isNull();
        events.add(Buffer.buffer("0}\n\n"));
        assertThat(events.next().toString(StandardCharsets.UTF_8)).isEqualTo(UNFINISHED + "0}\n\n");
    }

    private static WeakReference<Buffer> addAndPassOn(WholeEvents events, String text) {
        Buffer chunk = Buffer.buffer(text);
        events.add(chunk);
        while (events.next() != null) {
            // counted one by one in the gateway
        }
        events.whole();
        return new WeakReference<>(chunk);
    }
}
