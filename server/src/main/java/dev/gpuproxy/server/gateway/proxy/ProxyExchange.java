package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.credit.service.UsageEvent;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import dev.gpuproxy.lb.FailureKind;
import dev.gpuproxy.lb.KeyPool;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolCapacity;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.metering.PromptTextEstimate;
import dev.gpuproxy.server.gateway.metering.UsageTracker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * One client request carried to a backend: pick a backend (and key), send, and either stream the answer back as it
 * arrives or, if the attempt failed before anything reached the client, fail over to another backend within the
 * attempt limit and the retry budget. Every attempt updates the backend's live state; the request's usage is metered
 * once at the end. Runs entirely on the event loop.
 *
 * <p>This class is the attempt loop (attempt, send, onResponse, relay, finish), read top to bottom; the protocol's
 * header policy is {@link ExchangeHeaders}, what a failure answer means is {@link BackendAnswers}, how the answer's
 * bytes go out is {@link AnswerSink}, and what it used is {@link UsageTracker}.
 */
public final class ProxyExchange {

    private final Gateway gateway;
    private final RoutingContext context;
    private final GatewayCaller caller;
    private final Pool pool;
    private final String model;
    private final String pathSuffix;
    /** What each attempt sends; let go once an answer is relayed (see {@link #releaseRequestBody}). */
    private Buffer body;
    private final boolean stream;
    private final long holdMicros;
    private final long startNanos = System.nanoTime();
    private final UsageTracker usage;
    private final long timeLimitMillis;
    private final HttpMethod method;
    private final ErrorWriter errors;
    /** False for protocols metered by request only (Open Inference): no tokens are counted or charged. */
    private final boolean metersTokens;
    /** Prompt tokens charged until the backend reports its own count. */
    private long promptEstimate;
    /** A metered stream's events (made when its relay starts), passed on whole and counted one by one. */
    private WholeEvents streamEvents;

    private int attempts;
    private boolean finished;
    /** The backend of the attempt in progress, whose in-flight count this exchange still holds; null when none. */
    private Backend activeBackend;
    private long activeStart;
    private HttpClientRequest upstream;
    private long lastRetryAfterSeconds = 1;
    /** Whether this request already waited for its pool to gain a backend: it waits once at most. */
    private boolean waitedForCapacity;
    private ExchangeHooks hooks = ExchangeHooks.NONE;
    /** The one backend this request must reach (a session lives there), or null to let the pool choose. */
    private Backend pinned;
    /** True when the call is free and leaves no usage record. */
    private boolean unmetered;
    /** A body spooled to disk (an upload), sent as it came with its own Content-Type; null = {@link #body}. */
    private String bodyFile;
    private String bodyFileType;
    private long bodyFileSize;

    /**
     * A token-metered OpenAI or Anthropic call; {@code promptTokens} is charged when the backend reports no prompt
     * count (see {@link PromptTextEstimate}), and is at most the estimate its hold was made with.
     */
    public ProxyExchange(Gateway gateway, RoutingContext context, GatewayCaller caller, Pool pool, String model,
                  String pathSuffix, Buffer body, boolean stream, long holdMicros, long promptTokens,
                  long timeLimitMillis, ErrorWriter errors) {
        this(gateway, context, caller, pool, model, HttpMethod.POST, pathSuffix, body, stream, holdMicros,
                timeLimitMillis, errors, true);
        this.promptEstimate = promptTokens;
    }

    public ProxyExchange(Gateway gateway, RoutingContext context, GatewayCaller caller, Pool pool, String model,
                  HttpMethod method, String pathSuffix, Buffer body, boolean stream, long holdMicros,
                  long timeLimitMillis, ErrorWriter errors, boolean metersTokens) {
        this.method = method;
        this.errors = errors;
        this.metersTokens = metersTokens;
        this.gateway = gateway;
        this.context = context;
        this.caller = caller;
        this.pool = pool;
        this.model = model;
        this.pathSuffix = pathSuffix;
        this.body = body;
        this.stream = stream;
        this.holdMicros = holdMicros;
        this.usage = new UsageTracker(stream);
        this.timeLimitMillis = timeLimitMillis;
        this.promptEstimate = Math.max(1, body == null ? 0 : body.length() / 4);
    }

    /** Lets a protocol adjust headers and retries; call before {@link #start()}. */
    public ProxyExchange hooks(ExchangeHooks hooks) {
        this.hooks = hooks;
        return this;
    }

    /** Neither charges nor records the request (a token count is not an inference); call before {@link #start()}. */
    public ProxyExchange unmetered() {
        this.unmetered = true;
        return this;
    }

    /**
     * Sends the bytes of {@code path} as the body, with {@code contentType}, read from disk for every attempt so an
     * upload is never held in memory; call before {@link #start()}. The caller deletes the file.
     */
    public ProxyExchange bodyFromFile(String path, String contentType, long size) {
        this.bodyFile = path;
        this.bodyFileType = contentType;
        this.bodyFileSize = size;
        return this;
    }

    /** Sends the request to {@code backend} only (null = any); call before {@link #start()}. */
    public ProxyExchange pinnedTo(Backend backend) {
        this.pinned = backend;
        return this;
    }

    public void start() {
        gateway.retryBudget.onRequest();
        HttpServerResponse response = context.response();
        response.closeHandler(v -> {
            if (finished) {
                return;
            }
            // The client went away: stop the upstream work too, and charge what it already received.
            if (upstream != null) {
                upstream.reset();
            }
            endAttempt(FailureKind.CLIENT_ERROR);
            if (response.headWritten()) {
                finish(true);
            } else {
                finishQuietly();
            }
        });
        if (timeLimitMillis > 0) {
            gateway.vertx.setTimer(timeLimitMillis, id -> timeLimitReached());
        }
        attempt(null);
    }

    private void attempt(Backend avoid) {
        long now = System.nanoTime();
        Backend backend = pinned != null ? pinned : pool.pick(now, model, avoid);
        if (backend == null && pinned == null && !waitedForCapacity) {
            // An autoscaled pool at zero: wait while a GPU is rented, rather than fail.
            waitForCapacity(avoid, () -> attempt(avoid));
            return;
        }
        if (backend == null || !backend.serves(model)) {
            if (attempts == 0) {
                errors.modelNotFound(context.response(), model);
            } else {
                errors.send(context.response(), 502, "upstream_unavailable", "Every backend for model " + model
                        + " failed");
            }
            finishQuietly();
            return;
        }
        BackendKey key = null;
        KeyPool keys = backend.keys();
        if (!keys.isEmpty()) {
            KeyPool.Choice choice = keys.acquire(now);
            if (choice.key() == null) {
                lastRetryAfterSeconds = Math.max(1, Math.min(60, (choice.retryAfterMillis() + 999) / 1000));
                if (attempts + 1 < gateway.config.maxAttempts() && pool.pick(now, model, backend) != backend) {
                    attempts++;
                    attempt(backend);
                    return;
                }
                if (keys.allDisabled()) {
                    // Waiting will not help, and the caller's own credential is fine: an operator must act.
                    errors.send(context.response(), 503, "no_usable_key", "Every API key the gateway holds for "
                            + model + " was rejected by the provider and is disabled; an operator must replace them");
                } else {
                    errors.rateLimited(context.response(), lastRetryAfterSeconds,
                            "Every API key of the backends for " + model + " is at its rate limit; retry later");
                }
                finishQuietly();
                return;
            }
            key = choice.key();
        }
        attempts++;
        backend.start(now);
        activeBackend = backend;
        activeStart = now;
        send(backend, key, now);
    }

    private void send(Backend backend, BackendKey key, long attemptStart) {
        if (pool.ownerUserId() == null) {
            send(backend, key, attemptStart, null, null);
            return;
        }
        // A tenant's pool holds the endpoints its GPU providers reported: they pass the address guard like any
        // proxied URL, and the connection goes to the address checked.
        URI target;
        try {
            target = new URI(backend.url() + pathSuffix);
        } catch (URISyntaxException e) {
            refusedBackend(backend, "The backend's URL is not valid");
            return;
        }
        gateway.guard.resolve(target.getHost()).onComplete(resolved -> {
            if (finished) {
                endAttempt(FailureKind.CLIENT_ERROR);
            } else if (resolved.failed()) {
                refusedBackend(backend, resolved.cause() instanceof ProxyTargetGuard.Refused
                        ? resolved.cause().getMessage() : "The backend's host could not be resolved");
            } else {
                send(backend, key, attemptStart, target, resolved.result());
            }
        });
    }

    /** A tenant backend the address guard refused: counted as a connect failure, the next backend tried. */
    private void refusedBackend(Backend backend, String message) {
        endAttempt(FailureKind.CONNECT);
        Backend next = pinned != null ? null : pool.pick(System.nanoTime(), model, backend);
        if (attempts < gateway.config.maxAttempts() && next != null && next != backend) {
            attempt(backend);
            return;
        }
        errors.send(context.response(), 403, "target_not_allowed", message);
        finishQuietly();
    }

    /** Sends to {@code backend}; to {@code address} for {@code target} when the guard resolved it, else by URL. */
    private void send(Backend backend, BackendKey key, long attemptStart, URI target, InetAddress address) {
        // Vert.x's request timeout runs from the moment the connection is there until the backend's response head
        // arrives, and is not re-armed after it: it is the first-byte timeout, with no timer of ours per request. The
        // silence inside an answer is bounded by the connection's idle timeout (GATEWAY_IDLE_TIMEOUT, Gateway's client).
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setConnectTimeout(gateway.config.connectTimeout().toMillis())
                .setIdleTimeout(gateway.config.firstByteTimeout().toMillis());
        if (address == null) {
            BackendTarget.set(options, backend, pathSuffix);
        } else {
            int port = ProxyTargets.port(target);
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setHost(target.getHost())
                    .setPort(port)
                    .setSsl("https".equalsIgnoreCase(target.getScheme()))
                    .setURI(path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        }
        MultiMap headers = ExchangeHeaders.toBackend(context.request(), backend, key, stream);
        if (bodyFile != null) {
            headers.set("Content-Type", bodyFileType);
            headers.set("Content-Length", String.valueOf(bodyFileSize));
        } else if (body != null) {
            headers.set("Content-Type", "application/json");
        }
        hooks.forwardRequestHeaders(context.request(), backend, headers);
        options.setHeaders(headers);
        upstream = null; // this attempt's request, once a connection is there (a timeout before it is a connect's)
        gateway.clients.current().request(options)
                .compose(request -> {
                    upstream = request;
                    if (bodyFile != null) {
                        return gateway.vertx.fileSystem().open(bodyFile, new OpenOptions().setRead(true).setWrite(false))
                                .compose(file -> request.send(file).onComplete(sent -> file.close()));
                    }
                    return body == null ? request.send() : request.send(body);
                })
                .onComplete(result -> onResponse(backend, key, attemptStart, result));
    }

    private void onResponse(Backend backend, BackendKey key, long attemptStart, AsyncResult<HttpClientResponse> result) {
        if (finished) {
            if (result.succeeded()) {
                // The client left before the backend answered. The reset is ours: without a handler of its own,
                // Vert.x would log it as an ERROR ("Stream reset") once per hang-up.
                HttpClientResponse unwanted = result.result();
                unwanted.exceptionHandler(resetByUs -> { });
                unwanted.request().reset();
            }
            endAttempt(FailureKind.CLIENT_ERROR);
            return;
        }
        long now = System.nanoTime();
        if (result.failed()) {
            endAttempt(FailureKind.CONNECT);
            if (result.cause() instanceof TimeoutException && upstream != null) {
                // Vert.x's message names the backend's address, which is the operator's business, not the tenant's.
                retryOrFail(backend, 504, "The backend sent no response within GATEWAY_FIRST_BYTE_TIMEOUT ("
                        + gateway.config.firstByteTimeout().toSeconds() + " s)");
            } else {
                retryOrFail(backend, 502, "Backend unreachable: " + FailureReasons.of(result.cause()));
            }
            return;
        }
        HttpClientResponse response = result.result();
        int status = response.statusCode();
        FailureKind failure = BackendAnswers.classify(status);
        if (failure == null || !hooks.retriesAnsweredFailures()) {
            relay(backend, response, attemptStart);
            return;
        }
        if (status == 404) {
            // Only "this model is not here" moves on; any other 404 is the client's and goes back as it is.
            response.body().onComplete(read -> {
                String text = read.succeeded() ? read.result().toString() : "";
                endAttempt(FailureKind.CLIENT_ERROR);
                if (text.toLowerCase(Locale.ROOT).contains("model")) {
                    backend.doesNotServe(model);
                    Backend next = pool.pick(System.nanoTime(), model, backend);
                    if (attempts < gateway.config.maxAttempts() && next != null && next != backend
                            && next.serves(model)) {
                        attempt(backend);
                        return;
                    }
                }
                sendBuffered(response, read.succeeded() ? read.result() : Buffer.buffer());
            });
            return;
        }
        switch (failure) {
            case RATE_LIMITED -> {
                long retryAfter = BackendAnswers.retryAfterSeconds(response.headers());
                lastRetryAfterSeconds = retryAfter;
                if (key != null) {
                    key.coolDown(now + retryAfter * 1_000_000_000L);
                }
            }
            case BAD_CREDENTIAL -> {
                if (key != null) {
                    key.disable("HTTP " + status + " from the provider at " + Instant.now());
                }
            }
            default -> {
                if (key != null) {
                    key.serverError();
                }
            }
        }
        endAttempt(failure);
        Backend next = pool.pick(now, model, backend);
        boolean anotherTarget = next != null
                && (next != backend || (!backend.keys().isEmpty() && backend.keys().anyAvailable(now)));
        boolean canRetry = attempts < gateway.config.maxAttempts() && anotherTarget && gateway.retryBudget.tryRetry();
        if (canRetry) {
            response.body().onComplete(ignored -> attempt(backend));
            return;
        }
        if (failure == FailureKind.BAD_CREDENTIAL && key != null) {
            // The provider refused the gateway's key, not the caller's: a 401 passed on would tell the caller's SDK
            // that its own gpuproxy key is invalid.
            response.body().onComplete(ignored -> {
                errors.send(context.response(), 502, "upstream_credentials_rejected", "The provider refused the"
                        + " gateway's API key for " + model + " (HTTP " + status + "); an operator must replace it");
                finishQuietly();
            });
            return;
        }
        // No failover left: the client gets the backend's own answer.
        response.body().onComplete(read -> sendBuffered(response, read.succeeded() ? read.result() : Buffer.buffer()));
    }

    private void retryOrFail(Backend failed, int status, String message) {
        if (pinned != null) {
            // What lived on that backend (a session) is gone with it; 404 tells the client to start over.
            errors.send(context.response(), 404, "bound_backend_gone", "The backend this request is bound to is "
                    + "unreachable; start a new session");
            finishQuietly();
            return;
        }
        long now = System.nanoTime();
        Backend next = pool.pick(now, model, failed);
        if (attempts < gateway.config.maxAttempts() && next != null && next != failed && gateway.retryBudget.tryRetry()) {
            attempt(failed);
            return;
        }
        Runnable fail = () -> {
            errors.send(context.response(), status, status == 504 ? "upstream_timeout" : "upstream_unavailable",
                    message);
            finishQuietly();
        };
        if ((next == null || next == failed) && !waitedForCapacity) {
            // The only backend died before answering (a preempted GPU): nothing reached the client, so the request
            // waits for a replacement if its pool rents them.
            waitForCapacity(failed, fail);
            return;
        }
        fail.run();
    }

    /**
     * Waits (once per request, bounded) for the pool to gain a backend other than {@code avoid}, then tries again;
     * {@code otherwise} runs when the pool does not scale. A full queue or a timeout is a 503 with Retry-After.
     */
    private void waitForCapacity(Backend avoid, Runnable otherwise) {
        waitedForCapacity = true;
        Context eventLoop = gateway.vertx.getOrCreateContext();
        gateway.capacity.awaitBackend(pool, avoid).onComplete(done -> eventLoop.runOnContext(v -> {
            if (finished) {
                return;
            }
            PoolCapacity.Outcome outcome = done.succeeded() ? done.result() : PoolCapacity.Outcome.NOT_SCALABLE;
            switch (outcome) {
                case JOINED -> attempt(avoid);
                case NOT_SCALABLE -> otherwise.run();
                default -> {
                    context.response().putHeader("Retry-After",
                            String.valueOf(Math.max(1, gateway.capacity.retryAfterSeconds(pool))));
                    errors.send(context.response(), 503, "capacity_unavailable", outcome == PoolCapacity.Outcome.QUEUE_FULL
                            ? "Pool " + pool.name() + " is starting GPUs and too many requests are waiting already; "
                            + "retry after the Retry-After delay"
                            : "Pool " + pool.name() + " has no ready GPU yet (one is being rented); retry after the "
                            + "Retry-After delay");
                    finishQuietly();
                }
            }
        }));
    }

    /**
     * Passes a successful (or client-error) answer to the client: a stream as it arrives, with backpressure; a small
     * answer of known length held and sent in one write (see {@link AnswerSink}).
     */
    private void relay(Backend backend, HttpClientResponse response, long attemptStart) {
        releaseRequestBody();
        HttpServerResponse out = context.response();
        out.setStatusCode(response.statusCode());
        HopByHopHeaders.copyEndToEnd(response.headers(), out.headers());
        hooks.rewriteResponseHeaders(backend, out.headers());
        out.putHeader("X-Gpuproxy-Backend", String.valueOf(backend.id()));
        String length = response.getHeader("Content-Length");
        AnswerSink sink;
        if (length != null && !stream && !hooks.rewritesBody()) {
            out.putHeader("Content-Length", length);
            sink = AnswerSink.forLength(out, length);
        } else {
            out.setChunked(true);
            // A stream's head goes out as soon as the backend's arrived: clients (MCP's GET stream) wait for it before
            // anything else, and the first event may be a long time coming.
            out.writeHead();
            sink = AnswerSink.writeThrough(out);
        }
        boolean clientError = response.statusCode() >= 400;
        if (metersTokens && stream && !clientError) {
            streamEvents = new WholeEvents();
        }
        boolean[] firstByte = {true};
        response.handler(chunk -> {
            if (firstByte[0]) {
                firstByte[0] = false;
                long now = System.nanoTime();
                backend.firstByte(now - attemptStart, now);
            }
            Buffer sendable = chunk;
            if (streamEvents != null) {
                sendable = wholeEventsWithinHold(response, chunk);
                if (sendable == null) {
                    return;
                }
            } else if (metersTokens && !sink.holdsWhole()) {
                usage.onChunk(chunk);
            }
            sink.write(clientError ? sendable : hooks.rewriteBody(sendable));
            if (sink.full()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.exceptionHandler(error -> {
            if (finished) {
                return;
            }
            endAttempt(FailureKind.SERVER_ERROR);
            String event = stream && !clientError ? errors.streamError("The backend failed mid-stream: "
                    + FailureReasons.of(error)) : null;
            if (event != null) {
                out.end(event);
            } else {
                out.reset();
            }
            finish(true);
        });
        response.endHandler(v -> {
            if (finished) {
                return;
            }
            endAttempt(response.statusCode() >= 500 ? FailureKind.SERVER_ERROR
                    : clientError ? FailureKind.CLIENT_ERROR : null);
            if (sink.holdsWhole()) {
                if (metersTokens) {
                    usage.finish(sink.held());
                }
            } else {
                usage.finish();
            }
            if (metersTokens && !clientError) {
                // Output speed, for cost_per_token: tokens generated over the attempt's whole time.
                long now = System.nanoTime();
                backend.outputTokens(usage.completionTokens(), now - attemptStart, now);
            }
            Buffer unfinishedEvent = streamEvents == null ? null : streamEvents.tail();
            if (unfinishedEvent != null && unfinishedEvent.length() > 0) {
                usage.onChunk(unfinishedEvent);
                sink.write(hooks.rewriteBody(unfinishedEvent));
            }
            sink.end(clientError ? Buffer.buffer() : hooks.bodyRest());
            finish(!clientError);
        });
        response.resume();
    }

    /**
     * Passes a token-metered stream on in whole events, counting each: an event is sent only when what the stream
     * then costs fits in the hold. Returns what to send now (the incomplete last event waits for its end), or null
     * when the hold is exhausted and the stream was cut.
     */
    private Buffer wholeEventsWithinHold(HttpClientResponse response, Buffer chunk) {
        streamEvents.add(chunk);
        for (Buffer event; (event = streamEvents.next()) != null; ) {
            long deliveredCost = cost();
            long textBefore = usage.textEvents();
            usage.onChunk(event);
            // Only content is cut: an event that just reports usage (the Responses API's response.completed, whose
            // input may include a stored conversation the estimate could not see) comes after the generation ended.
            boolean content = usage.textEvents() > textBefore || !usage.reported();
            if (content && unclampedCost() > holdMicros) {
                Buffer before = streamEvents.beforeLast();
                if (before.length() > 0) {
                    context.response().write(hooks.rewriteBody(before));
                }
                budgetExhausted(response, deliveredCost);
                return null;
            }
        }
        return streamEvents.whole();
    }

    /**
     * The stream asks for more than its hold pays for (a backend that ignores max_tokens): the chunk that would pass
     * the hold is not sent, the stream ends with an error event, and what was delivered before it is charged.
     */
    private void budgetExhausted(HttpClientResponse response, long deliveredCost) {
        response.handler(null);
        endAttempt(FailureKind.CLIENT_ERROR);
        HttpServerResponse out = context.response();
        String event = errors.streamError("The answer reached what this request's credit hold pays for; it was cut"
                + " there. Set a lower max_tokens or top up", "credit_exhausted");
        charge(deliveredCost);
        if (event != null) {
            out.end(event);
        } else {
            out.reset();
        }
        response.request().reset();
    }

    /**
     * No attempt follows an answer being relayed, so the request's body is no longer needed: neither this exchange nor
     * the routing context (which holds what the body handler read) keeps it. A stream holds its exchange for minutes;
     * with prompts of tens of KB, ten thousand streams held hundreds of MB of bodies already sent.
     */
    // RoutingContext.setBody is deprecated in vertx-web 4.5, and RequestBody, which replaces it, cannot let go of
    // the bytes: setBody is still the one way to.
    @SuppressWarnings("deprecation")
    private void releaseRequestBody() {
        body = null;
        context.setBody(null);
    }

    private void sendBuffered(HttpClientResponse response, Buffer content) {
        HttpServerResponse out = context.response();
        if (!out.headWritten()) {
            out.setStatusCode(response.statusCode());
            HopByHopHeaders.copyEndToEnd(response.headers(), out.headers());
            out.end(content);
        }
        finishQuietly();
    }

    private void timeLimitReached() {
        if (finished) {
            return;
        }
        if (upstream != null) {
            upstream.reset();
        }
        endAttempt(FailureKind.CLIENT_ERROR);
        HttpServerResponse out = context.response();
        if (!out.headWritten()) {
            errors.send(out, 504, "time_limit_exceeded", "The request exceeded its X-Timelimit");
        } else if (stream && errors.streamError("The request exceeded its X-Timelimit") != null) {
            out.end(errors.streamError("The request exceeded its X-Timelimit"));
        } else {
            out.reset();
        }
        finish(true);
    }

    /** Ends the current attempt's hold on its backend, once: null = success, else how it failed. */
    private void endAttempt(FailureKind failure) {
        Backend backend = activeBackend;
        if (backend == null) {
            return;
        }
        activeBackend = null;
        pool.recordOutcome(backend, failure, activeStart);
    }

    /** Ends the exchange without charging (nothing useful was delivered). */
    private void finishQuietly() {
        if (!finished) {
            finished = true;
            gateway.spendGuard.complete(caller.userId(), holdMicros, 0);
        }
    }

    /** Ends the exchange and meters what was delivered. */
    private void finish(boolean delivered) {
        if (unmetered) {
            finishQuietly();
        } else if (!finished) {
            charge(metersTokens && (delivered || usage.reported()) ? cost() : 0);
        }
    }

    /** What the tokens counted so far cost, never more than the hold (the hold is the most the caller agreed to). */
    private long cost() {
        // An answer too large to read its usage is charged its hold: the most the caller agreed to pay.
        return usage.unmeasured() ? holdMicros : Math.min(holdMicros, unclampedCost());
    }

    private long unclampedCost() {
        return gateway.pricing.cost(usage.promptTokens(promptEstimate), usage.completionTokens());
    }

    /** Ends the exchange charging {@code cost}: the meter first, so a wallet re-read never misses the charge. */
    private void charge(long cost) {
        if (finished) {
            return;
        }
        finished = true;
        long tokensIn = metersTokens ? usage.promptTokens(promptEstimate) : 0;
        long tokensOut = metersTokens ? usage.completionTokens() : 0;
        gateway.meter.record(new UsageEvent(caller.userId(), caller.clientId(), caller.ip(), 1, tokensIn, tokensOut,
                0, cost, Instant.now()));
        gateway.spendGuard.complete(caller.userId(), holdMicros, cost);
    }
}
