package dev.gpuproxy.server.gpu.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads STATIC_GPUS_FILE: a YAML (or, for a {@code .json} file, JSON) list of {@link StaticGpuServer}s. A file that
 * cannot be used stops the server at start with a message naming the file and the entry, never half-loaded.
 */
public final class StaticGpuServers {

    private static final String NAME_PATTERN = "[A-Za-z0-9._-]{1,100}";

    private StaticGpuServers() {
    }

    public static List<StaticGpuServer> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("STATIC_GPUS_FILE " + file + " does not exist or is not a file");
        }
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        List<StaticGpuServer> servers;
        try {
            servers = mapper.readValue(Files.readString(file), new TypeReference<List<StaticGpuServer>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("STATIC_GPUS_FILE " + file + " is not a list of GPU servers: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("STATIC_GPUS_FILE " + file + " cannot be read: " + e.getMessage(), e);
        }
        return validate(file, servers == null ? List.of() : servers);
    }

    static List<StaticGpuServer> validate(Path file, List<StaticGpuServer> servers) {
        Set<String> names = new HashSet<>();
        List<StaticGpuServer> result = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            StaticGpuServer server = servers.get(i);
            String where = "STATIC_GPUS_FILE " + file + ", entry " + (i + 1);
            if (server == null) {
                throw new IllegalStateException(where + " is empty");
            }
            if (server.name() == null || !server.name().matches(NAME_PATTERN)) {
                throw new IllegalStateException(where + ": name must be 1-100 letters, digits, '.', '_' or '-'");
            }
            where += " (" + server.name() + ")";
            if (!names.add(server.name())) {
                throw new IllegalStateException(where + ": the name is used twice");
            }
            if (!isHttpUrl(server.url())) {
                throw new IllegalStateException(where + ": url must be an http(s) URL");
            }
            if (server.gpuModel() == null || server.gpuModel().isBlank()) {
                throw new IllegalStateException(where + ": gpu_model is required");
            }
            if (server.vramGb() == null || !(server.vramGb() > 0)) {
                throw new IllegalStateException(where + ": vram_gb must be a positive number");
            }
            if (server.pricePerHour() == null || server.pricePerHour().signum() < 0) {
                throw new IllegalStateException(where + ": price_per_hour must be a number of US dollars, at least 0");
            }
            if (server.gpus() < 1 || server.gpus() > 64) {
                throw new IllegalStateException(where + ": gpu_count must be between 1 and 64");
            }
            result.add(server);
        }
        return List.copyOf(result);
    }

    private static boolean isHttpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
