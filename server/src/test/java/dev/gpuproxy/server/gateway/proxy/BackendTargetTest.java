package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.lb.Backend;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

/** A backend's request target from its URL parsed once is the one Vert.x sets from the URL string. */
class BackendTargetTest {

    @Test
    void theTargetIsWhatSetAbsoluteUriGives() {
        String[] urls = {"http://127.0.0.1:8000/v1", "http://127.0.0.1:8000", "http://gpu.example:8000/",
                "https://api.example.com/v1", "https://api.example.com", "HTTP://Host.Example/v1",
                "http://[::1]:9000/openai/v1", "https://api.example.com/v1?api-version=2024-06-01",
                "http://host.example?key=1", "http://host.example/a%20b/v1"};
        String[] paths = {"/chat/completions", "", "/models", "?stream=true"};
        for (String url : urls) {
            Backend backend = new Backend(1, url, "vllm", 1, 0);
            for (String path : paths) {
                RequestOptions expected = new RequestOptions().setAbsoluteURI(url + path);
                RequestOptions actual = new RequestOptions();
                BackendTarget.set(actual, backend, path);
                String what = url + " + " + path;
                assertThat(actual.getHost()).as(what).isEqualTo(expected.getHost());
                assertThat(actual.getPort()).as(what).isEqualTo(expected.getPort());
                assertThat(actual.isSsl()).as(what).isEqualTo(expected.isSsl());
                assertThat(actual.getURI()).as(what).isEqualTo(expected.getURI());
            }
        }
    }

    @Test
    void whatItDoesNotReproduceGoesTheSlowWay() {
        for (String url : new String[] {"http://user:secret@host.example/v1", "http://host.example/v1#part",
                "http://under_score.example/v1"}) {
            RequestOptions expected = new RequestOptions().setAbsoluteURI(url + "/chat/completions");
            RequestOptions actual = new RequestOptions();
            BackendTarget.set(actual, new Backend(1, url, "vllm", 1, 0), "/chat/completions");
            assertThat(actual.getHost()).as(url).isEqualTo(expected.getHost());
            assertThat(actual.getURI()).as(url).isEqualTo(expected.getURI());
        }
    }
}
