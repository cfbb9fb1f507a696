package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.server.gateway.proxy.ExchangeHooks;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Responses API's side of an exchange: every response id in the backend's answer ({@code "resp_..."}, in a JSON
 * body or in the events of a stream) reaches the client sealed to that backend ({@link ResponseIds}), so a later
 * retrieve, delete or {@code previous_response_id} finds the backend that stored it.
 */
final class ResponseIdHooks implements ExchangeHooks {

    private static final String OPENING = "\"resp_";
    private static final Pattern ID = Pattern.compile("\"(resp_[A-Za-z0-9_-]{1,200})\"");

    private final ResponseIds ids;
    private final long userId;
    private final boolean retriesAnsweredFailures;
    /** The backend's id of the response the client named (path or previous_response_id), or null. */
    private final String namedBackendId;
    /** The id the client used for it, echoed back exactly: a sealed id is not deterministic. */
    private final String namedClientId;
    private Backend backend;
    /** The start of an id that may continue in the next chunk. */
    private String kept = "";

    /**
     * {@code retriesAnsweredFailures}: false when the request is bound to one backend (it holds the response);
     * {@code namedBackendId}/{@code namedClientId}: the response the client named, whose id it gets back as it sent it.
     */
    ResponseIdHooks(ResponseIds ids, long userId, boolean retriesAnsweredFailures, String namedBackendId,
                    String namedClientId) {
        this.ids = ids;
        this.namedBackendId = namedBackendId;
        this.namedClientId = namedClientId;
        this.userId = userId;
        this.retriesAnsweredFailures = retriesAnsweredFailures;
    }

    @Override
    public void rewriteResponseHeaders(Backend backend, MultiMap toClient) {
        this.backend = backend;
    }

    @Override
    public boolean rewritesBody() {
        return true;
    }

    @Override
    public Buffer rewriteBody(Buffer chunk) {
        // ISO-8859-1 maps bytes one to one, so a UTF-8 character split between chunks passes unharmed.
        String text = kept + chunk.toString(StandardCharsets.ISO_8859_1);
        int cut = unfinishedIdStart(text);
        kept = text.substring(cut);
        return seal(text.substring(0, cut));
    }

    @Override
    public Buffer bodyRest() {
        Buffer rest = seal(kept);
        kept = "";
        return rest;
    }

    @Override
    public boolean retriesAnsweredFailures() {
        return retriesAnsweredFailures;
    }

    private Buffer seal(String text) {
        Matcher matcher = ID.matcher(text);
        StringBuilder sealed = new StringBuilder(text.length() + 64);
        while (matcher.find()) {
            String id = matcher.group(1);
            String replacement = id.equals(namedBackendId) ? namedClientId
                    : id.startsWith(ResponseIds.PREFIX) || backend == null ? id : ids.seal(userId, backend.id(), id);
            matcher.appendReplacement(sealed, Matcher.quoteReplacement("\"" + replacement + "\""));
        }
        matcher.appendTail(sealed);
        return Buffer.buffer(sealed.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Where an id that is not closed yet starts (it may end in the next chunk), else the text's length. */
    private static int unfinishedIdStart(String text) {
        int open = text.lastIndexOf(OPENING);
        if (open >= 0 && text.indexOf('"', open + 1) < 0 && text.length() - open < 256) {
            return open;
        }
        for (int k = Math.min(OPENING.length() - 1, text.length()); k > 0; k--) {
            if (text.endsWith(OPENING.substring(0, k))) {
                return text.length() - k;
            }
        }
        return text.length();
    }
}
