package dev.gpuproxy.server.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Boots the app on a new embedded SQLite file in a temporary folder, without Redis. */
public class SqliteResource implements QuarkusTestResourceLifecycleManager {

    private Path folder;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("gpuproxy-sqlite-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("db.type", "sqlite", "db.path", folder.resolve("data/gpuproxy.db").toString());
    }

    @Override
    public void stop() {
        if (folder == null) {
            return;
        }
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }
}
