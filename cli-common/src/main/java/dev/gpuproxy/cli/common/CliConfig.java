package dev.gpuproxy.cli.common;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The per-user config file ({@code ~/.config/gpuproxy/config.properties}): the server and API key that
 * {@code gpuproxy-client login} stored. It is written readable by its owner only, because it holds a key.
 */
public final class CliConfig {

    static final String SERVER = "server";
    static final String API_KEY = "api_key";

    private final Path file;
    private final Properties properties;

    private CliConfig(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    /** Reads the file; a missing file is an empty config, an unreadable one an error naming the file. */
    public static CliConfig load(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException("the config file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new CliConfig(file, properties);
    }

    public Path file() {
        return file;
    }

    public Optional<String> server() {
        return value(SERVER);
    }

    public Optional<String> apiKey() {
        return value(API_KEY);
    }

    /**
     * Stores the server and its key, replacing earlier ones; the file is replaced atomically and created with
     * owner-only permissions where the file system supports them.
     */
    public void saveLogin(String server, String apiKey) {
        properties.setProperty(SERVER, server);
        properties.setProperty(API_KEY, apiKey);
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".config", ".tmp");
            restrictToOwner(temporary);
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "gpuproxy command-line tools; written by 'gpuproxy-client login'");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException("the config file " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile folder is already private.
        }
    }

    private Optional<String> value(String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
