package dev.gpuproxy.api.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLineReaderTest {

    /** Collects what the reader delivers. */
    private static final class Recorder implements SseLineReader.Listener {
        final List<SseEvent> events = new ArrayList<>();
        final List<String> otherLines = new ArrayList<>();

        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onOtherLine(String line) {
            otherLines.add(line);
        }

        List<String> data() {
            return events.stream().map(SseEvent::data).toList();
        }
    }

    private static Recorder read(String stream) {
        Recorder recorder = new Recorder();
        new SseLineReader(recorder).feed(stream);
        return recorder;
    }

    @Test
    void eachBlankLineCompletesOneEvent() {
        Recorder read = read("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n");
        assertThat(read.data()).containsExactly("{\"a\":1}", "{\"b\":2}", "[DONE]");
        assertThat(read.events.get(2).isDone()).isTrue();
        assertThat(read.events.get(0).isDone()).isFalse();
    }

    @Test
    void crLfAndLoneCrEndLinesLikeLf() {
        assertThat(read("data: a\r\n\r\ndata: b\r\rdata: c\n\r\n").data()).containsExactly("a", "b", "c");
    }

    @Test
    void dataLinesOfOneEventAreJoinedWithNewlines() {
        assertThat(read("data: first\ndata:second\ndata\ndata:  indented\n\n").data())
                .containsExactly("first\nsecond\n\n indented");
    }

    @Test
    void commentsRetryAndUnknownFieldsAreNotData() {
        Recorder read = read(": keep-alive\n\nretry: 3000\nid: 7\nevent: delta\ndata: x\n\n:\n\n");
        assertThat(read.events).containsExactly(new SseEvent("delta", "x", "7"));
        assertThat(read.otherLines).isEmpty();
    }

    @Test
    void theEventTypeIsResetButTheLastIdIsKept() {
        Recorder read = read("event: ping\nid: 1\ndata: a\n\ndata: b\n\nevent: lonely\n\ndata: c\n\n");
        assertThat(read.events).containsExactly(new SseEvent("ping", "a", "1"), new SseEvent("message", "b", "1"),
                new SseEvent("message", "c", "1"));
    }

    @Test
    void anEventWithoutDataIsNotDelivered() {
        assertThat(read("event: empty\n\n\n\nid: 3\n\n").events).isEmpty();
    }

    @Test
    void linesThatAreNoFieldReachTheOtherLineHook() {
        Recorder read = read("{\"id\":\"cmpl-1\",\n  \"choices\": []}\n");
        assertThat(read.otherLines).containsExactly("{\"id\":\"cmpl-1\",", "  \"choices\": []}");
        assertThat(read.events).isEmpty();
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() {
        assertThat(read("\uFEFFdata: a\n\n").data()).containsExactly("a");
    }

    @Test
    void chunksSplitAnywhereGiveTheSameEvents() {
        String stream = "\uFEFFevent: t\r\nid: 9\r\ndata: h\u00e9llo \u2603 \uD83D\uDE00\r\ndata: second\r\r: c\r\n"
                + "data: {\"k\":\"v\"}\n\ndata: x\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseEvent> whole = read(stream).events;
        assertThat(whole).hasSize(3);
        assertThat(whole.get(0)).isEqualTo(new SseEvent("t", "h\u00e9llo \u2603 \uD83D\uDE00\nsecond", "9"));
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                Recorder recorder = new Recorder();
                SseLineReader reader = new SseLineReader(recorder);
                reader.feed(bytes, 0, first);
                reader.feed(bytes, first, second - first);
                reader.feed(bytes, second, bytes.length - second);
                assertThat(recorder.events).as("split at %d and %d", first, second).isEqualTo(whole);
            }
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameEvents() {
        String stream = "data: a\r\ndata: b\r\n\r\ndata: c\r\r";
        Recorder recorder = new Recorder();
        SseLineReader reader = new SseLineReader(recorder);
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            reader.feed(new byte[] {b});
        }
        assertThat(recorder.data()).containsExactly("a\nb", "c");
    }

    @Test
    void linesLongerThanTheBuffersSurviveChunking() {
        String big = "x".repeat(10_000);
        Recorder recorder = new Recorder();
        SseLineReader reader = new SseLineReader(recorder);
        byte[] bytes = ("data: " + big + "\ndata: " + big + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < bytes.length; offset += 777) {
            reader.feed(bytes, offset, Math.min(777, bytes.length - offset));
        }
        assertThat(recorder.data()).containsExactly(big + "\n" + big);
    }

    @Test
    void aCutStreamDeliversOnlyTheEventsThatArrivedWhole() {
        Recorder recorder = new Recorder();
        SseLineReader reader = new SseLineReader(recorder);
        reader.feed("data: whole\n\ndata: no blank line yet\ndata: half a li");
        assertThat(recorder.data()).containsExactly("whole");
    }

    @Test
    void endDeliversWhatAStreamLeftUnterminated() {
        Recorder recorder = new Recorder();
        SseLineReader reader = new SseLineReader(recorder);
        reader.feed("data: whole\n\ndata: last line without newline");
        reader.end();
        assertThat(recorder.data()).containsExactly("whole", "last line without newline");

        Recorder plain = new Recorder();
        SseLineReader body = new SseLineReader(plain);
        body.feed("{\"object\":\"chat.completion\"}");
        body.end();
        assertThat(plain.otherLines).containsExactly("{\"object\":\"chat.completion\"}");
    }

    @Test
    void aCrAtTheEndOfOneChunkAndLfAtTheStartOfTheNextAreOneLineEnding() {
        Recorder recorder = new Recorder();
        SseLineReader reader = new SseLineReader(recorder);
        reader.feed("data: a\r");
        reader.feed("\ndata: b\r");
        reader.feed("\n\r");
        reader.feed("\n");
        assertThat(recorder.data()).as("no blank line between a and b").containsExactly("a\nb");
    }
}
