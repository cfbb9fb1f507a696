package dev.gpuproxy.server.common.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** An RFC 9457 problem-details body: the one error shape of the REST API (OpenAI routes use their own). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code"})
public record Problem(String type, String title, int status, String detail, String code,
                     @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://gpuproxy.dev/problems/";

    public static Problem of(int status, String code, String detail) {
        return of(status, code, detail, Map.of());
    }

    public static Problem of(int status, String code, String detail, Map<String, Object> extensions) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return new Problem(TYPE_BASE + code.replace('_', '-'), title, status, detail, code, extensions);
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions == null ? Map.of() : extensions;
    }

    public Response toResponse() {
        return responseBuilder().build();
    }

    /** A builder preloaded with status, content type and body, for adding headers. */
    public Response.ResponseBuilder responseBuilder() {
        return Response.status(status).type(MEDIA).entity(this);
    }
}
