package dev.gpuproxy.cli.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpTraceTest {

    @Test
    void masksPasswordsTokensAndKeysAtAnyDepth() {
        String masked = HttpTrace.maskBody("""
                {"user":{"email":"a@b.c"},"password":"hunter2hunter2",
                 "tokens":{"access_token":"eyJhbGciOiJIUzI1NiJ9.x.y","refresh_token":"refresh-0123456789"},
                 "data":[{"api_key":"gpx_ab12cd34_s3cretS3cretS3cret","name":"laptop"}]}""");

        assertThat(masked).doesNotContain("hunter2", "eyJhbGciOiJIUzI1NiJ9.x.y", "refresh-0123456789",
                "s3cretS3cret");
        assertThat(masked).contains("\"email\":\"a@b.c\"", "\"password\":\"***\"", "\"access_token\":\"eyJh…\"",
                "\"api_key\":\"gpx_ab12cd34_…\"", "\"name\":\"laptop\"");
    }

    @Test
    void leavesBodiesThatAreNotJsonReadable() {
        assertThat(HttpTrace.maskBody("<html>Bad Gateway</html>")).isEqualTo("<html>Bad Gateway</html>");
    }
}
