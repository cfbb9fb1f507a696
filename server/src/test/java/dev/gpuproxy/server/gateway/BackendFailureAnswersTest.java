package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client gets when a backend fails before answering. GATEWAY_FIRST_BYTE_TIMEOUT: a backend that takes the
 * request and never answers is given up after it and the request goes to another backend; with none left the client
 * gets a 504. A refused connection is a 502. Neither names the backend's address. The timeout ends with the response
 * head: an answer whose body takes longer is relayed whole.
 */
@QuarkusTest
@TestProfile(BackendFailureAnswersTest.OneSecondFirstByte.class)
class BackendFailureAnswersTest {

    /** The gateway's profile with a first-byte timeout of one second. */
    public static class OneSecondFirstByte extends GatewayProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("gateway.first-byte-timeout", "1s");
            return config;
        }
    }

    static final UpstreamStub ANSWERING = new UpstreamStub("answering");
    static final SilentUpstream SILENT = new SilentUpstream();
    static final HeadFirstUpstream HEAD_FIRST = new HeadFirstUpstream(1_500);

    @Inject
    CreditService credits;

    private Api.Account admin;
    private String tenantKey;

    @BeforeEach
    void setUp() {
        ANSWERING.reset();
        admin = Api.admin();
        tenantKey = Api.fundedApiKey(credits, "fb", 100);
    }

    @AfterAll
    static void stop() throws IOException {
        ANSWERING.close();
        SILENT.close();
        HEAD_FIRST.close();
    }

    @Test
    void aBodyThatComesAfterTheTimeoutIsRelayedOnceTheHeadCameInTime() {
        String model = pool(HEAD_FIRST.baseUrl());
        chat(model).then().statusCode(200)
                .body("choices[0].message.content", equalTo("late but whole"));
    }

    @Test
    void aBackendThatNeverAnswersIsGivenUpAndTheNextOneAnswers() {
        String model = pool(SILENT.baseUrl(), ANSWERING.baseUrl());
        for (int i = 0; i < 4; i++) {
            chat(model).then().statusCode(200).header("X-Gpuproxy-Backend", org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void withNoOtherBackendTheClientGetsA504WithoutTheBackendsAddress() {
        String model = pool(SILENT.baseUrl());
        chat(model).then().statusCode(504)
                .body("error.code", equalTo("upstream_timeout"))
                .body("error.message", containsString("GATEWAY_FIRST_BYTE_TIMEOUT"))
                .body("error.message", not(containsString(String.valueOf(SILENT.port()))));
    }

    @Test
    void aRefusedConnectionIsA502ThatDoesNotNameTheBackend() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String model = pool("http://127.0.0.1:" + closedPort + "/v1");
        chat(model).then().statusCode(502)
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", equalTo("Backend unreachable: connection refused"))
                .body("error.message", not(containsString(String.valueOf(closedPort))));
    }

    private io.restassured.response.Response chat(String model) {
        return given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
    }

    private String pool(String... urls) {
        return Api.createPool(admin, "fb", "round_robin", urls);
    }

    /** Answers each request with its response head at once and its body {@code bodyDelayMillis} later. */
    static final class HeadFirstUpstream implements AutoCloseable {
        private static final String BODY = "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"late but whole\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":3,\"total_tokens\":4}}";
        private final ServerSocket server;
        private final long bodyDelayMillis;

        HeadFirstUpstream(long bodyDelayMillis) {
            this.bodyDelayMillis = bodyDelayMillis;
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread answerer = new Thread(() -> answer(socket), "head-first-upstream");
                        answerer.setDaemon(true);
                        answerer.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "head-first-upstream-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void answer(Socket socket) {
            try (socket) {
                readRequest(socket.getInputStream());
                var out = socket.getOutputStream();
                byte[] body = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(bodyDelayMillis);
                out.write(body);
                out.flush();
            } catch (IOException | InterruptedException ignored) {
                // the gateway went away
            }
        }

        /** Reads the request's head and its Content-Length body. */
        private static void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the request's head ended");
                }
                head.append((char) b);
            }
            var length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            if (length.find()) {
                in.readNBytes(Integer.parseInt(length.group(1)));
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Accepts connections and reads what arrives, but never writes a byte back. */
    static final class SilentUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentUpstream() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(this::accept, "silent-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    Thread reader = new Thread(() -> drain(socket), "silent-upstream-reader");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void drain(Socket socket) {
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the gateway gave up and closed the connection
            }
        }

        int port() {
            return server.getLocalPort();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port() + "/v1";
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
