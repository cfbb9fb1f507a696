package dev.gpuproxy.provider.vastai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns vast.ai error bodies into one readable line: {@code {"success":false,"error":"invalid_args","msg":"..."}},
 * the {@code message} variant some endpoints use, or the plain text of a 429.
 */
final class VastErrors {

    private VastErrors() {
    }

    /** {@link dev.gpuproxy.provider.support.ProviderHttp.ErrorMessageReader} for vast.ai. */
    static String message(int status, String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return trimmed;
        }
        try {
            return describe(VastJson.read(trimmed));
        } catch (Exception notJson) {
            return trimmed;
        }
    }

    /** {@code error: msg}, whichever parts are present, or the JSON itself when neither is. */
    static String describe(JsonNode body) {
        String code = VastJson.text(body, "error");
        String detail = VastJson.text(body, "msg");
        if (detail == null) {
            detail = VastJson.text(body, "message");
        }
        if (code != null && detail != null) {
            return code + ": " + detail;
        }
        if (code != null || detail != null) {
            return code != null ? code : detail;
        }
        return body.toString();
    }
}
