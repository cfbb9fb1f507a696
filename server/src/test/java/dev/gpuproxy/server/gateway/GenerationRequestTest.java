package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.gateway.metering.MaxTokens;
import dev.gpuproxy.server.gateway.route.GenerationRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The one-pass read of a generation request: the same answers a JSON tree would give, without building one. */
class GenerationRequestTest {

    private static GenerationRequest read(String json) throws JsonBodies.NotAnObject {
        return GenerationRequest.read(Buffer.buffer(json));
    }

    @Test
    void readsTheModelStreamLimitsAndPreviousResponse() throws Exception {
        GenerationRequest request = read("{\"model\":\"llama\",\"stream\":true,\"max_tokens\":16,"
                + "\"metadata\":{\"model\":\"nested, not read\",\"stream\":false},\"previous_response_id\":\"resp_1\","
                + "\"tools\":[{\"max_tokens\":\"nested\"}]}");
        assertThat(request.model()).isEqualTo("llama");
        assertThat(request.stream()).isTrue();
        assertThat(request.tokenLimit("max_tokens")).isEqualTo(16L);
        assertThat(request.tokenLimit("max_completion_tokens")).isNull();
        assertThat(request.previousResponseId()).isEqualTo("resp_1");
    }

    @Test
    void readsAsVertxDecodesJsonWhateverBufferItArrivesIn() throws Exception {
        String json = "{/* Vert.x's decoder allows comments */\"model\":\"llama\", // and line comments\n\"stream\":true}";
        Buffer direct = Buffer.buffer(io.netty.buffer.Unpooled.directBuffer().writeBytes(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Buffer sliced = Buffer.buffer("xx" + json + "yy").slice(2, json.length() + 2);
        for (Buffer body : new Buffer[] {Buffer.buffer(json), direct, sliced}) {
            GenerationRequest request = GenerationRequest.read(body);
            assertThat(request.model()).isEqualTo("llama");
            assertThat(request.stream()).isTrue();
            assertThat(io.vertx.core.json.Json.decodeValue(body)).as("what Vert.x reads").isNotNull();
        }
    }

    @Test
    void aMemberGivenTwiceCountsWithItsLastValueAsInAJsonTree() throws Exception {
        GenerationRequest request = read("{\"model\":\"first\",\"stream\":true,\"max_tokens\":5,\"model\":7,"
                + "\"stream\":\"yes\",\"max_tokens\":null,\"messages\":[{\"content\":\"" + "a".repeat(400) + "\","
                + "\"content\":\"abcd\"}]}");
        assertThat(request.model()).as("a number is no model").isNull();
        assertThat(request.stream()).as("only true streams").isFalse();
        assertThat(request.tokenLimit("max_tokens")).isNull();
        assertThat(request.promptTextTokens()).isEqualTo(1);
    }

    @Test
    void thePromptEstimateCountsOnlyTheMessagesText() throws Exception {
        GenerationRequest request = read("{\"model\":\"" + "m".repeat(400) + "\",\"user\":\"" + "u".repeat(400)
                + "\",\"system\":\"12345678\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"abcd\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + "x".repeat(400) + "\"}}]},"
                + "{\"role\":\"assistant\",\"content\":\"efghijkl\"}],\"prompt\":[\"1234\",[\"5678\"]],"
                + "\"input\":{\"text\":\"12345678\",\"content\":{\"text\":\"1234\"},\"other\":\"" + "o".repeat(400)
                + "\"}}");
        // system 8 + messages 4 + 8 + prompt 8 + input 12 = 40 characters, 4 to a token.
        assertThat(request.promptTextTokens()).isEqualTo(10);
        assertThat(read("{\"model\":\"m\"}").promptTextTokens()).as("at least one").isEqualTo(1);
    }

    @Test
    void outputLimitsAreValidatedAsOpenAiDoes() throws Exception {
        assertThat(read("{\"max_completion_tokens\":2147483647}").tokenLimit("max_completion_tokens"))
                .isEqualTo(2147483647L);
        assertThat(read("{\"max_output_tokens\":null}").tokenLimit("max_output_tokens")).isNull();
        assertInvalid("{\"max_tokens\":0}", "integer_below_min_value", "got 0");
        assertInvalid("{\"max_tokens\":2147483648}", "integer_above_max_value", "got 2147483648");
        assertInvalid("{\"max_tokens\":99999999999999999999}", "integer_above_max_value", "99999999999999999999");
        assertInvalid("{\"max_tokens\":-99999999999999999999}", "integer_below_min_value", ">= 1");
        assertInvalid("{\"max_tokens\":1.5}", "invalid_type", "a decimal number");
        assertInvalid("{\"max_tokens\":\"16\"}", "invalid_type", "a string");
        assertInvalid("{\"max_tokens\":true}", "invalid_type", "a boolean");
        assertInvalid("{\"max_tokens\":[16]}", "invalid_type", "an array");
        assertInvalid("{\"max_tokens\":{\"n\":16},\"model\":\"after it\"}", "invalid_type", "an object");
        assertThat(read("{\"max_tokens\":{\"n\":16},\"model\":\"after it\"}").model()).isEqualTo("after it");
    }

    private static void assertInvalid(String json, String code, String detail) {
        assertThatThrownBy(() -> read(json).tokenLimit("max_tokens")).isInstanceOf(MaxTokens.Invalid.class)
                .hasMessageContaining(detail).satisfies(e -> assertThat(((MaxTokens.Invalid) e).code).isEqualTo(code));
    }

    @Test
    void aBodyThatIsNotExactlyOneJsonObjectIsRefused() throws Exception {
        assertThat(GenerationRequest.read(Buffer.buffer())).isNull();
        assertThatThrownBy(() -> read("[{\"model\":\"m\"}]")).isInstanceOf(JsonBodies.NotAnObject.class)
                .hasMessage("The request body must be a JSON object");
        assertThatThrownBy(() -> read("{\"model\":\"m\"} {\"model\":\"other\"}"))
                .isInstanceOf(JsonBodies.NotAnObject.class).hasMessageContaining("Unexpected trailing token");
        assertThatThrownBy(() -> read("{\"model\":\"m\",\"messages\":[{\"content\":\"cut"))
                .isInstanceOf(JsonBodies.NotAnObject.class).hasMessageStartingWith("The request body is not a JSON object: ");
        assertThatThrownBy(() -> read("{\"model\":\"m\"}garbage")).isInstanceOf(JsonBodies.NotAnObject.class);
    }

    @Test
    void aChangedRequestIsAFreshTreeOfTheSameBody() throws Exception {
        GenerationRequest request = read("{\"model\":\"alias\",\"messages\":[]}");
        assertThat(request.editable().put("model", "upstream").encode()).isEqualTo("{\"model\":\"upstream\",\"messages\":[]}");
        assertThat(request.editable().getString("model")).as("each call reads the body again").isEqualTo("alias");
    }
}
