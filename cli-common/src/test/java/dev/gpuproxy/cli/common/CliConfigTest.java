package dev.gpuproxy.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {

    @TempDir
    Path folder;

    @Test
    void aMissingFileIsAnEmptyConfig() {
        CliConfig config = CliConfig.load(folder.resolve("absent.properties"));

        assertThat(config.server()).isEmpty();
        assertThat(config.apiKey()).isEmpty();
    }

    @Test
    void savedLoginIsReadBackAndReadableByItsOwnerOnly() throws Exception {
        Path file = folder.resolve("nested/gpuproxy/config.properties");
        CliConfig.load(file).saveLogin("http://127.0.0.1:9", "gpx_old_1");
        CliConfig.load(file).saveLogin("http://127.0.0.1:8080", "gpx_ab12cd34_secret");

        CliConfig reread = CliConfig.load(file);
        assertThat(reread.server()).contains("http://127.0.0.1:8080");
        assertThat(reread.apiKey()).contains("gpx_ab12cd34_secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file);
        }
    }

    @Test
    void anUnreadableFileIsAnErrorNamingIt() throws Exception {
        Path file = Files.createDirectories(folder.resolve("config.properties"));

        assertThatThrownBy(() -> CliConfig.load(file))
                .isInstanceOf(CliException.class).hasMessageContaining(file.toString());
    }
}
