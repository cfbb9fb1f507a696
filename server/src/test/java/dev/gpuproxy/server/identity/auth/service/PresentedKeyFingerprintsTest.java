package dev.gpuproxy.server.identity.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.crypto.Tokens;
import org.junit.jupiter.api.Test;

class PresentedKeyFingerprintsTest {

    @Test
    void theRememberedKeyNeverAnswersForAnother() {
        String first = "gpx_abc12345_" + "a".repeat(32);
        String second = "gpx_abc12345_" + "a".repeat(31) + "b";
        assertThat(PresentedKeyFingerprints.of(first)).isEqualTo(Tokens.sha256Hex(first));
        assertThat(PresentedKeyFingerprints.of(first)).isEqualTo(Tokens.sha256Hex(first));
        assertThat(PresentedKeyFingerprints.of(second)).isEqualTo(Tokens.sha256Hex(second));
        assertThat(PresentedKeyFingerprints.of(first + "x")).isEqualTo(Tokens.sha256Hex(first + "x"));
        assertThat(PresentedKeyFingerprints.of(first)).isEqualTo(Tokens.sha256Hex(first));
    }
}
