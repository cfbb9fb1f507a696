package dev.gpuproxy.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void apiKeyKeepsOnlyItsPublicPrefix() {
        assertThat(Secrets.mask("gpx_ab12cd34_s3cretS3cretS3cret")).isEqualTo("gpx_ab12cd34_…");
    }

    @Test
    void otherTokensKeepFourCharacters() {
        assertThat(Secrets.mask("eyJhbGciOiJIUzI1NiJ9.payload.signature")).isEqualTo("eyJh…");
    }

    @Test
    void shortSecretsAreHiddenEntirely() {
        assertThat(Secrets.mask("abcd1234")).isEqualTo("…");
        assertThat(Secrets.mask("gpx_")).isEqualTo("…");
        assertThat(Secrets.maskPassword("hunter2")).doesNotContain("hunter2");
    }
}
