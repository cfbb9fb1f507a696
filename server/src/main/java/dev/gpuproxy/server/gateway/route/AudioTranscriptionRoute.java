package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.OpenAiErrors;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * {@code POST /v1/audio/transcriptions}: a multipart upload passed through to the pool named by its {@code model}
 * field, metered as one request. The pool is only known once the {@code model} part has been read, and the OpenAI
 * SDKs send it after the file, so the body is spooled to a temporary file as it arrives (never held in memory, at
 * most AUDIO_MAX_UPLOAD) while its small fields are read; the file's bytes then go to the backend unchanged (same
 * boundary, same Content-Type), and the file is deleted when the exchange ends, however it ends.
 */
@ApplicationScoped
public class AudioTranscriptionRoute {

    static final String PATH = "/v1/audio/transcriptions";
    /** Spool files start with this, in the JVM's temporary directory. */
    public static final String SPOOL_PREFIX = "gpuproxy-upload-";
    private static final int ORDER = DataPlaneRoutes.ORDER;

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final PoolRegistry registry;
    private final long maxUploadBytes;

    AudioTranscriptionRoute(Gateway gateway, GatewayAdmission admission, PoolRegistry registry, ServerConfig server) {
        this.gateway = gateway;
        this.admission = admission;
        this.registry = registry;
        this.maxUploadBytes = new MemorySizeConverter().convert(server.audioMaxUpload()).asLongValue();
    }

    void register(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(context -> {
            // Nothing of the upload may be read (and lost) before the spool file is ready for it.
            context.request().pause();
            // An answer given before the upload was read (401, 429, 413...) lets the rest drain, so a client that
            // writes its whole body before reading the answer is not left blocked.
            context.addEndHandler(ended -> {
                if (!context.request().isEnded()) {
                    context.request().resume();
                }
            });
            admission.authorize(context, ErrorWriter.OPENAI, caller -> spool(context, caller));
        }).failureHandler(context -> {
            io.quarkus.logging.Log.error("Audio transcription request failed", context.failure());
            ErrorWriter.OPENAI.send(context.response(), 500, "internal_error",
                    "The gateway failed to handle this request");
        });
    }

    private void spool(RoutingContext context, GatewayCaller caller) {
        HttpServerRequest request = context.request();
        ErrorWriter errors = ErrorWriter.OPENAI;
        String contentType = request.getHeader("Content-Type");
        String boundary = MultipartFieldScanner.boundary(contentType);
        if (boundary == null) {
            OpenAiErrors.invalidParameter(context.response(), "file", "invalid_request",
                    "The request must be multipart/form-data with a file and a model");
            return;
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null && parseLong(declared) > maxUploadBytes) {
            tooLarge(context);
            return;
        }
        long timeLimitMillis = GatewayAdmission.timeLimitMillis(context);
        if (timeLimitMillis < 0) {
            errors.send(context.response(), 400, "invalid_request", "X-Timelimit must be a positive number of seconds");
            return;
        }
        var fs = gateway.vertx.fileSystem();
        fs.createTempFile(SPOOL_PREFIX, ".multipart").compose(path -> {
            // However the exchange ends (answered, refused, client gone), the upload leaves no trace on disk.
            context.addEndHandler(ended -> fs.delete(path));
            if (context.response().closed()) {
                fs.delete(path);
            }
            return fs.open(path, new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .map(file -> new Spool(path, file));
        }).onFailure(error -> {
            io.quarkus.logging.Log.error("Could not create an upload spool file", error);
            errors.send(context.response(), 500, "internal_error", "The gateway could not store the upload");
        }).onSuccess(spool -> receive(context, caller, boundary, contentType, spool, timeLimitMillis));
    }

    private record Spool(String path, AsyncFile file) {
    }

    private void receive(RoutingContext context, GatewayCaller caller, String boundary, String contentType,
                         Spool spool, long timeLimitMillis) {
        HttpServerRequest request = context.request();
        MultipartFieldScanner scanner = new MultipartFieldScanner(boundary, Set.of("model", "stream"));
        long[] received = {0};
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            received[0] += chunk.length();
            if (received[0] > maxUploadBytes) {
                refused[0] = true;
                spool.file().close();
                tooLarge(context);
                return;
            }
            scanner.feed(chunk);
            spool.file().write(chunk);
            if (spool.file().writeQueueFull()) {
                request.pause();
                spool.file().drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(error -> spool.file().close());
        request.endHandler(v -> {
            if (refused[0]) {
                return;
            }
            spool.file().close().onComplete(closed -> {
                if (closed.failed()) {
                    ErrorWriter.OPENAI.send(context.response(), 500, "internal_error",
                            "The gateway could not store the upload");
                    return;
                }
                forward(context, caller, contentType, spool.path(), received[0], scanner, timeLimitMillis);
            });
        });
        request.resume();
    }

    private void forward(RoutingContext context, GatewayCaller caller, String contentType, String path, long size,
                         MultipartFieldScanner scanner, long timeLimitMillis) {
        ErrorWriter errors = ErrorWriter.OPENAI;
        String model = scanner.field("model");
        if (model == null || model.isBlank()) {
            OpenAiErrors.invalidParameter(context.response(), "model", "invalid_request",
                    "The request needs a \"model\" form field");
            return;
        }
        var route = registry.route(model, caller.userId());
        if (route.isEmpty()) {
            errors.modelNotFound(context.response(), model);
            return;
        }
        Pool pool = route.get().pool();
        // The form goes as it came, so the backend reads the model the client named (an alias is not rewritten).
        String upstreamModel = route.get().upstreamModel();
        boolean stream = "true".equalsIgnoreCase(scanner.field("stream"));
        admission.hold(context, errors, caller, GatewayAdmission.REQUEST_HOLD_MICROS, held ->
                new ProxyExchange(gateway, context, caller, pool, upstreamModel, HttpMethod.POST,
                        PATH.substring("/v1".length()), null, stream, GatewayAdmission.REQUEST_HOLD_MICROS,
                        timeLimitMillis, errors, false).bodyFromFile(path, contentType, size).start());
    }

    private static void tooLarge(RoutingContext context) {
        // The rest of the upload is not read: the connection closes after the answer.
        context.response().putHeader("Connection", "close");
        ErrorWriter.OPENAI.send(context.response(), 413, "request_too_large", "The upload is larger than the"
                + " gateway accepts (AUDIO_MAX_UPLOAD)");
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
