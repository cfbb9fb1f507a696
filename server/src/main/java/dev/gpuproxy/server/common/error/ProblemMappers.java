package dev.gpuproxy.server.common.error;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.gpuproxy.server.common.devmode.DeveloperMode;
import dev.gpuproxy.server.common.number.BoundedDecimalDeserializer;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the REST API returns leaves through here, as one application/problem+json body. */
public class ProblemMappers {

    private final DeveloperMode developerMode;

    ProblemMappers(DeveloperMode developerMode) {
        this.developerMode = developerMode;
    }

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        Response.ResponseBuilder response = Problem.of(e.status(), e.code(), e.detail(), e.extensions())
                .responseBuilder();
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized(e.getMessage() == null ? "Invalid credentials" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorized("Authentication required: send an API key (X-API-Key or Authorization: Bearer gpx_...)"
                + " or an access token (Authorization: Bearer <jwt>)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "forbidden", "This operation needs the admin role").toResponse();
    }

    private static Response unauthorized(String detail) {
        return Problem.of(401, "unauthorized", detail).responseBuilder()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gpuproxy\"").build();
    }

    @ServerExceptionMapper
    public Response unknownStrategy(dev.gpuproxy.lb.Strategy.UnknownStrategyException e) {
        return Problem.of(400, "unknown_strategy", e.getMessage(),
                Map.of("valid", dev.gpuproxy.lb.Strategy.NAMES)).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri, jakarta.ws.rs.core.Request request) {
        return Problem.of(404, "not_found",
                "No resource at " + request.getMethod() + " /" + uri.getPath().replaceFirst("^/", "")).toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, jakarta.ws.rs.core.Request request) {
        String allow = String.join(", ", e.getResponse().getAllowedMethods());
        return Problem.of(405, "method_not_allowed",
                        "Method " + request.getMethod() + " is not allowed here" + (allow.isEmpty() ? "" : "; allowed: " + allow))
                .responseBuilder().header(HttpHeaders.ALLOW, allow.isEmpty() ? null : allow).build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
        String sent = headers.getMediaType() == null ? "none" : headers.getMediaType().toString();
        return Problem.of(415, "unsupported_media_type",
                "Content-Type " + sent + " is not accepted here; send application/json").toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof BoundedDecimalDeserializer.OutOfRange outOfRange) {
            return Problem.of(400, "number_out_of_range", fieldPath(outOfRange) + " " + outOfRange.getOriginalMessage())
                    .toResponse();
        }
        return Problem.of(400, "malformed_json", describeJsonError(e)).toResponse();
    }

    /** Declared separately because quarkus-rest-jackson maps this subtype itself, in a different shape. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> Map.of("field", fieldName(v), "message", v.getMessage()))
                .toList();
        String detail = errors.stream().map(err -> err.get("field") + ": " + err.get("message"))
                .collect(Collectors.joining("; "));
        return Problem.of(400, "validation_failed", detail, Map.of("errors", errors)).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status == 413) {
            return Problem.of(413, "payload_too_large", "The request body is larger than the server accepts").toResponse();
        }
        if (status >= 500) {
            return internalError(e);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        String code = info.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "_");
        return Problem.of(status, code, e.getMessage() == null ? info.getReasonPhrase() : e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response internalError(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "Unhandled error %s", errorId);
        String detail = "The server failed to handle this request; quote error id " + errorId + " when reporting it";
        if (developerMode.developer()) {
            // Developer mode only (DEVELOPER_MODE, gpuproxyd -dv): the internals a developer needs, in the answer.
            return Problem.of(500, "internal_error", detail, Map.of("stack_trace", DeveloperMode.stackTrace(e)))
                    .toResponse();
        }
        return Problem.of(500, "internal_error", detail).toResponse();
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Method-parameter paths look like "create.request.email": the caller only knows the last part.
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String fieldPath(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    static String describeJsonError(JsonProcessingException e) {
        StringBuilder detail = new StringBuilder("Malformed JSON");
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" at line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            detail.append(" (field ").append(fieldPath(mapping)).append(")");
        }
        detail.append(": ").append(e.getOriginalMessage());
        return detail.toString();
    }
}
