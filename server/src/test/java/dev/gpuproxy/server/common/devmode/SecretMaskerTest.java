package dev.gpuproxy.server.common.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void credentialHeadersAreMaskedOthersKept() {
        String shown = SecretMasker.headers(List.of(
                Map.entry("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
                Map.entry("X-API-Key", "gpx_ab12cd34_s3cr3ts3cr3ts3cr3t"),
                Map.entry("Cookie", "session=abc"),
                Map.entry("X-Preferred-Payment", "card:4242 4242 4242 4242"),
                Map.entry("Content-Type", "application/json")));

        assertThat(shown).contains("Authorization: ***", "X-API-Key: ***", "Cookie: ***",
                "X-Preferred-Payment: card:***", "Content-Type: application/json");
        assertThat(shown).doesNotContain("eyJ", "s3cr3t", "abc", "4242");
    }

    @Test
    void jsonFieldsNamedLikeSecretsAreMaskedAtAnyDepth() {
        String body = """
                {"email":"a@example.com","password":"hunter2-hunter2","tokens":{"access_token":"eyJx.eyJy.z"},
                 "api_key":"gpx_ab12_secretpart","backends":[{"url":"http://x","api_keys":["nvapi-1","nvapi-2"]}],
                 "note":"card 4000-0566-5566-5556 and key gpx_ff00_moresecret","max_tokens":256,"amount":12.5}""";

        String shown = SecretMasker.body(body, "application/json; charset=utf-8", JSON);

        assertThat(shown).contains("\"email\":\"a@example.com\"", "\"password\":\"***\"", "\"tokens\":\"***\"",
                "\"api_key\":\"***\"", "\"api_keys\":\"***\"", "gpx_ff00_***", "\"max_tokens\":256", "\"amount\":12.5");
        assertThat(shown).doesNotContain("hunter2", "eyJ", "secretpart", "nvapi", "5556", "moresecret");
    }

    @Test
    void queryAndFormParametersNamedLikeSecretsAreMasked() {
        assertThat(SecretMasker.uri("/api/v1/gpu/instances?max_price=2&api_key=gpx_a_b&token=xyz"))
                .isEqualTo("/api/v1/gpu/instances?max_price=2&api_key=***&token=***");
        assertThat(SecretMasker.body("user=alice&password=hunter2", "application/x-www-form-urlencoded", JSON))
                .isEqualTo("user=alice&password=***");
    }

    @Test
    void cardNumbersAreMaskedInPlainTextAndAsJsonNumbers() {
        assertThat(SecretMasker.text("paid with 4242424242424242.")).isEqualTo("paid with ***.");
        assertThat(SecretMasker.body("{\"n\":4242424242424242}", "application/json", JSON)).isEqualTo("{\"n\":\"***\"}");
    }
}
