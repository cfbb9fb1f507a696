package dev.gpuproxy.server.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text-field finder answers what the regular expression it replaced answers, event for event. */
class TextFieldsTest {

    /** What the gateway matched before {@link TextFields} (a cut stream is charged one token per such event). */
    private static final Pattern REPLACED = Pattern.compile(
            "\"(?:content|text|arguments|reasoning_content|reasoning|thinking|partial_json)\"\\s*:\\s*\"[^\"]");

    @Test
    void realEventsOfOpenAiAnthropicAndToolCalls() {
        String[] withText = {
            "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
            "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
            "{\"choices\":[{\"delta\":{\"reasoning_content\":\"so\"}}]}",
            "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
            "{\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}",
            "{\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}",
            "{\"content\" \t\r\n: \u000B\f \"x\"}",
            "{\"content\":\"\n\"}",
        };
        String[] withoutText = {
            "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
            "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[{\"delta\":{\"content\":null}}]}",
            "{\"contents\":\"x\",\"my_text\":\"y\",\"Text\":\"z\"}",
            "{\"content\":[\"x\"]}",
            "{\"content\": \"\"\"}",
            "{\"text\":",
            "{\"text\":\"",
            "\"reasoning",
        };
        for (String event : withText) {
            assertThat(TextFields.carryText(event)).as(event).isTrue();
        }
        for (String event : withoutText) {
            assertThat(TextFields.carryText(event)).as(event).isFalse();
        }
    }

    @Test
    void agreesWithTheReplacedRegexOnRandomEventLikeText() {
        String[] names = {"content", "text", "arguments", "reasoning", "reasoning_content", "thinking", "partial_json",
            "contents", "tex", "reasoning_", "_content", "role", ""};
        String[] noise = {"\"", ":", " ", "\t", "\n", "\r", "\u000B", "\f", "\u00a0", "\\", "{", "}", "x", "\u00e9", ",",
            "null", "["};
        Random random = new Random(16);
        int withText = 0;
        for (int round = 0; round < 200_000; round++) {
            StringBuilder event = new StringBuilder();
            for (int part = random.nextInt(4); part >= 0; part--) {
                // a member that may or may not be a text field with a string value, then some noise
                event.append('"').append(names[random.nextInt(names.length)]);
                if (random.nextBoolean()) {
                    // shaped like a member: quote, whitespace, colon, whitespace, quote, a first character
                    event.append('"');
                    appendSome(event, random, WHITESPACE);
                    event.append(':');
                    appendSome(event, random, WHITESPACE);
                    event.append(random.nextInt(4) == 0 ? "" : "\"").append(random.nextBoolean() ? "\"" : "x");
                } else {
                    appendSome(event, random, "\"", " ", "\t", "\n", "\r", "\u000B", "\f", "\u00a0", ":", "\"");
                }
                appendSome(event, random, noise);
            }
            String json = event.toString();
            boolean expected = REPLACED.matcher(json).find();
            assertThat(TextFields.carryText(json)).as(json).isEqualTo(expected);
            withText += expected ? 1 : 0;
        }
        assertThat(withText).as("both answers come up often").isBetween(20_000, 180_000);
    }

    private static final String[] WHITESPACE = {" ", "\t", "\n", "\r", "\u000B", "\f", "\u00a0", "\u2028"};

    private static void appendSome(StringBuilder to, Random random, String... pieces) {
        for (int i = random.nextInt(5); i > 0; i--) {
            to.append(pieces[random.nextInt(pieces.length)]);
        }
    }
}
