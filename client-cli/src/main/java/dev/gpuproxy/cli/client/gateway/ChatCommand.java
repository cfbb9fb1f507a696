package dev.gpuproxy.cli.client.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.api.model.ChatChoice;
import dev.gpuproxy.api.model.ChatChunk;
import dev.gpuproxy.api.model.ChatError;
import dev.gpuproxy.api.model.ChatMessage;
import dev.gpuproxy.api.sse.SseEvent;
import dev.gpuproxy.api.sse.SseLineReader;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends one prompt to the OpenAI-compatible gateway with {@code stream: true} and prints the answer's tokens as
 * the Server-Sent Events arrive, so the first words show before the model has finished.
 */
@Command(name = "chat",
        description = {"Ask a model (see 'models') and stream its answer to stdout as it is written.",
            "", "With --format json, prints one object at the end: model, content, finish_reason, usage."},
        footer = {
            "  gpuproxy-client chat llama-3-8b \"Explain paged attention in two sentences\"",
            "  gpuproxy-client chat nvidia/meta/llama-3.1-8b-instruct \"Hi\" --system \"Answer in French\"",
            "  echo \"Summarize: $(cat notes.txt)\" | xargs -0 gpuproxy-client chat llama-3-8b"
        })
public final class ChatCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<model>", description = "Model or pool name.")
    String model;

    @Parameters(index = "1", paramLabel = "<prompt>", description = "What to ask.")
    String prompt;

    @Option(names = "--system", paramLabel = "<text>", description = "A system message before the prompt.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "<n>", description = "Longest answer, in tokens.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "<t>", description = "Sampling temperature.")
    Double temperature;

    /** What the stream said so far. */
    private final StringBuilder content = new StringBuilder();
    private final List<String> plainBody = new ArrayList<>();
    private String answeredModel;
    private String finishReason;
    private Map<String, Object> usage;

    @Override
    protected void execute() {
        if (maxTokens != null && maxTokens < 1) {
            throw usageError("--max-tokens must be at least 1 (got " + maxTokens + ")");
        }
        List<Map<String, String>> messages = new ArrayList<>();
        if (system != null) {
            messages.add(Map.of("role", "system", "content", system));
        }
        messages.add(Map.of("role", "user", "content", prompt));
        PrintWriter out = output().out();
        boolean live = !output().isJson();
        api().stream("/v1/chat/completions", ApiClient.body("model", model,
                "messages", messages, "stream", true, "max_tokens", maxTokens, "temperature", temperature),
                new SseLineReader.Listener() {
                    @Override
                    public void onEvent(SseEvent event) {
                        String data = event.data().strip();
                        if (!data.isEmpty() && !event.isDone()) {
                            chunk(parse(data), live ? out : null);
                        }
                    }

                    @Override
                    public void onOtherLine(String line) {
                        plainBody.add(line);
                    }
                });
        if (!plainBody.isEmpty()) {
            // The backend did not stream: the whole completion came as one JSON body.
            chunk(parse(String.join("\n", plainBody)), live ? out : null);
        }
        if (live) {
            out.println();
            out.flush();
        } else {
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.put("model", answeredModel == null ? model : answeredModel);
            result.put("content", content.toString());
            result.put("finish_reason", finishReason);
            result.set("usage", usage == null ? null : Json.MAPPER.valueToTree(usage));
            output().json(result);
        }
    }

    private void chunk(ChatChunk chunk, PrintWriter live) {
        ChatError error = chunk.error();
        if (error != null) {
            if (live != null && content.length() > 0) {
                live.println();
                live.flush();
            }
            throw new CliException("the answer broke off: " + (error.message() == null ? "unknown error"
                    : error.message()) + (error.code() != null ? " (" + error.code() + ")" : ""));
        }
        if (chunk.model() != null) {
            answeredModel = chunk.model();
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
        for (ChatChoice choice : chunk.choices()) {
            ChatMessage message = choice.delta() != null && choice.delta().content() != null ? choice.delta()
                    : choice.message();
            if (message != null && message.content() instanceof String text) {
                content.append(text);
                if (live != null) {
                    live.print(text);
                    live.flush();
                }
            }
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
            }
        }
    }

    private ChatChunk parse(String data) {
        ChatChunk chunk = Json.readText(data, ChatChunk.class);
        if (chunk == null) {
            throw new CliException("the server sent an event that is not JSON: "
                    + (data.length() > 200 ? data.substring(0, 200) + "..." : data));
        }
        return chunk;
    }
}
