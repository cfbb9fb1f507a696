package dev.gpuproxy.cli.client.gateway;

import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One HTTP call through the server's envelope ({@code POST /api/v1/gpu/proxy}) to one of the caller's running
 * instances or a registered backend; the target's answer is printed as it arrives.
 */
@Command(name = "proxy",
        description = {"Call one of your instances (or a registered backend) through gpuproxyd and print its answer.",
            "The target is an instance id, an instance id with a path (42/v2/health/ready), or a full URL."},
        footer = {
            "  gpuproxy-client proxy http 42/health",
            "  gpuproxy-client proxy openinference 42/v2/models/resnet/infer --data @request.json",
            "  gpuproxy-client proxy https https://api.example.com/v1/models --method GET"
        })
public final class ProxyCommand extends ApiCommand {

    private static final Pattern INSTANCE_TARGET = Pattern.compile("(\\d{1,18})(/.*)?");

    @Parameters(index = "0", paramLabel = "<protocol>", description = "http, https, mcp or openinference.")
    String protocol;

    @Parameters(index = "1", paramLabel = "<target>", description = "Instance id [/path], or a URL.")
    String target;

    @Option(names = "--data", paramLabel = "<body|@file>", description = "Request body, or @file to read it from.")
    String data;

    @Option(names = "--method", paramLabel = "<method>", description = "HTTP method (default: POST with --data, else GET).")
    String method;

    @Option(names = "--header", paramLabel = "<name:value>", description = "A request header for the target (repeatable).")
    List<String> headers;

    @Override
    protected void execute() {
        String normalized = protocol.toLowerCase(Locale.ROOT);
        if (!List.of("http", "https", "mcp", "openinference").contains(normalized)) {
            throw usageError("protocol must be http, https, mcp or openinference");
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("protocol", normalized);
        Matcher instance = INSTANCE_TARGET.matcher(target);
        if (instance.matches()) {
            envelope.put("instance_id", Long.parseLong(instance.group(1)));
            if (instance.group(2) != null) {
                envelope.put("target_url", instance.group(2));
            }
        } else if (target.startsWith("http://") || target.startsWith("https://")) {
            envelope.put("target_url", target);
        } else {
            throw usageError("target must be an instance id (optionally with a /path) or an http(s) URL");
        }
        String body = body();
        envelope.put("method", method != null ? method.toUpperCase(Locale.ROOT) : body == null ? "GET" : "POST");
        if (headers != null) {
            Map<String, String> targetHeaders = new LinkedHashMap<>();
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw usageError("--header must look like Name: value");
                }
                targetHeaders.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            envelope.put("headers", targetHeaders);
        }
        if (body != null) {
            envelope.put("body", body);
        }
        envelope.put("stream_response", true);
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = api();
        api.streamLines("/api/v1/gpu/proxy", envelope, line -> {
            out.println(line);
            out.flush();
        });
    }

    private String body() {
        if (data == null) {
            return null;
        }
        if (!data.startsWith("@")) {
            return data;
        }
        try {
            return Files.readString(Path.of(data.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data.substring(1), e);
        }
    }
}
