package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.gateway.metering.UsageTracker;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** How a stream's usage is read: the backend's count when it gave one, else the events with text that passed. */
class UsageTrackerTest {

    private static UsageTracker streamOf(String... events) {
        UsageTracker usage = new UsageTracker(true);
        for (String event : events) {
            usage.onChunk(Buffer.buffer("data: " + event + "\n\n"));
        }
        return usage;
    }

    @Test
    void aCutStreamCountsOnlyEventsWithTextNotTheRoleOrFinishChunks() {
        UsageTracker usage = streamOf("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
                "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
        assertThat(usage.completionTokens()).isEqualTo(2);
        assertThat(usage.reported()).isFalse();
        assertThat(usage.promptTokens(9)).isEqualTo(9);
    }

    @Test
    void aPromptCountInAnEarlyChunkIsPreferredToTheEstimate() {
        // Anthropic's message_start reports the input and one output token; the stream is cut after three deltas.
        UsageTracker usage = streamOf("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":21,"
                        + "\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
                "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}",
                "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"c\"}}");
        assertThat(usage.promptTokens(500)).isEqualTo(21);
        assertThat(usage.completionTokens()).as("what was delivered, not the stale count of message_start")
                .isEqualTo(3);
    }

    @Test
    void aStreamThatEndedWithItsUsageIsChargedThatUsage() {
        UsageTracker usage = streamOf("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"bcd\"}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5}}", "[DONE]");
        usage.finish();
        assertThat(usage.completionTokens()).isEqualTo(5);
        assertThat(usage.promptTokens(99)).isEqualTo(7);
    }

    @Test
    void eventsSplitAcrossChunksAndCrLfLineEndingsAreCountedOnceEach() {
        UsageTracker usage = new UsageTracker(true);
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"h\u00e9\"}}]}\r\n\r\n"
                + ": keep-alive\r\n\r\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\r\r";
        byte[] bytes = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int offset = 0; offset < bytes.length; offset += 3) {
            usage.onChunk(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + 3))));
        }
        assertThat(usage.completionTokens()).isEqualTo(2);
    }

    @Test
    void streamChunksAreReadInPlaceFromSlicesAndDirectBuffersAlike() {
        String text = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
        UsageTracker usage = new UsageTracker(true);
        // a slice starts inside its array: only its own bytes count, not the event before it in the same array
        usage.onChunk(Buffer.buffer(text + text.substring(0, 20)).slice(text.length(), text.length() + 20));
        usage.onChunk(Buffer.buffer(io.netty.buffer.Unpooled.directBuffer().writeBytes(
                text.substring(20).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        usage.onChunk(Buffer.buffer(text + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}")
                .slice(0, text.length()));
        assertThat(usage.textEvents()).isEqualTo(2);
    }

    @Test
    void anEventCutBeforeItsBlankLineIsNotCounted() {
        UsageTracker usage = new UsageTracker(true);
        usage.onChunk(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n"));
        assertThat(usage.completionTokens()).as("only the event that arrived whole reached the client")
                .isEqualTo(1);
    }

    private static UsageTracker answer(String json) {
        UsageTracker usage = new UsageTracker(false);
        usage.onChunk(Buffer.buffer(json.substring(0, json.length() / 2)));
        usage.onChunk(Buffer.buffer(json.substring(json.length() / 2)));
        usage.finish();
        return usage;
    }

    @Test
    void anAnswersUsageIsReadWhetherItComesFirstOrLast() {
        UsageTracker first = answer("{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5},\"choices\":[{\"message\":"
                + "{\"content\":\"hi\"}}]}");
        UsageTracker last = answer("{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":"
                + "{\"total_tokens\":12,\"prompt_tokens\":7,\"completion_tokens\":5}}");
        for (UsageTracker usage : new UsageTracker[] {first, last}) {
            assertThat(usage.promptTokens(99)).isEqualTo(7);
            assertThat(usage.completionTokens()).isEqualTo(5);
        }
    }

    @Test
    void aUsageNestedInsideTheAnswerIsNotTheAnswersUsage() {
        UsageTracker usage = answer("{\"choices\":[{\"message\":{\"usage\":{\"prompt_tokens\":1000,"
                + "\"completion_tokens\":1000}}}],\"metadata\":{\"usage\":{\"prompt_tokens\":2000}},"
                + "\"note\":\"\\\"usage\\\":{\\\"prompt_tokens\\\":3000}\",\"usage\":{\"input_tokens\":21,\"output_tokens\":4}}");
        assertThat(usage.promptTokens(99)).isEqualTo(21);
        assertThat(usage.completionTokens()).isEqualTo(4);
    }

    @Test
    void theTopLevelUsageIsFoundPastStringsThatLookLikeJson() {
        // Quotes, backslashes, braces and a "usage" inside strings, "usage" as a value, a usage that is not an object.
        UsageTracker usage = answer("{ \"object\" : \"usage\", "
                + "\"note\":\"a \\\\\\\", } ] { \\\"usage\\\":{\\\"prompt_tokens\\\":3}\","
                + "\"usage\":null,\"list\":[\"usage\",{\"usage\":{\"prompt_tokens\":4}}],\"x\":[[],{}],\n"
                + "\t\"usage\"\r\n :\n {\"prompt_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":2},"
                + "\"completion_tokens\":5}}");
        assertThat(usage.promptTokens(99)).isEqualTo(7);
        assertThat(usage.completionTokens()).isEqualTo(5);
    }

    @Test
    void anAnswerInADirectBufferIsReadToo() {
        UsageTracker usage = new UsageTracker(false);
        usage.finish(Buffer.buffer(io.netty.buffer.Unpooled.directBuffer().writeBytes(
                "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(usage.promptTokens(99)).isEqualTo(3);
        assertThat(usage.completionTokens()).isEqualTo(2);
    }

    @Test
    void anAnswerWithoutUsageOrNotJsonKeepsTheEstimate() {
        for (String body : new String[] {"{\"choices\":[]}", "not json", "[{\"usage\":{\"prompt_tokens\":3}}]", "",
                "{\"choices\":[]}{\"usage\":{\"prompt_tokens\":3}}",
                "{\"note\":\"unterminated \\\"usage\\\":{\\\"prompt_tokens\\\":3}}",
                "{\"usage\":{\"prompt_tokens\":3,"}) {
            UsageTracker usage = answer(body);
            assertThat(usage.reported()).as(body).isFalse();
            assertThat(usage.promptTokens(99)).as(body).isEqualTo(99);
            assertThat(usage.completionTokens()).as(body).isZero();
        }
    }

    @Test
    void anAnswerHeldWholeIsReadWithoutBeingFedInChunks() {
        UsageTracker usage = new UsageTracker(false);
        usage.finish(Buffer.buffer("{\"object\":\"chat.completion\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}"));
        assertThat(usage.promptTokens(99)).isEqualTo(3);
        assertThat(usage.completionTokens()).isEqualTo(2);
        assertThat(usage.unmeasured()).isFalse();
    }
}
