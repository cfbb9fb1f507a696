package dev.gpuproxy.api.sse;

/**
 * One Server-Sent Event as its blank line completed it.
 *
 * @param type the {@code event:} field, {@code message} when the event named none
 * @param data the {@code data:} lines joined with {@code \n} (one leading space of each line removed)
 * @param id   the last {@code id:} seen so far in the stream, null before the first
 */
public record SseEvent(String type, String data, String id) {

    public static final String DEFAULT_TYPE = "message";

    /** True for the OpenAI convention that ends a stream: {@code data: [DONE]}. */
    public boolean isDone() {
        return data.strip().equals("[DONE]");
    }
}
