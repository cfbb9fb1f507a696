package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import dev.gpuproxy.server.gateway.route.AudioTranscriptionRoute;
import dev.gpuproxy.server.gateway.route.MultipartFieldScanner;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/audio/transcriptions} through the gateway with the official OpenAI Java SDK: the upload (file part first,
 * as the SDK sends it) reaches the backend byte for byte, is metered as one request, and leaves no spool file.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class AudioTranscriptionTest {

    /** What the stub backend received: its Content-Type and the whole body. */
    record Received(String path, String contentType, String authorization, byte[] body) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final HttpServer BACKEND = LocalHttpServers.start("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        RECEIVED.add(new Received(exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        if (new String(body, StandardCharsets.ISO_8859_1).contains("slow-backend")) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = ("{\"text\":\"heard " + body.length + " bytes\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    });

    @TestHTTPResource("/v1")
    URL gatewayV1;

    @Inject
    CreditService credits;

    private Api.Account admin;
    private Api.Account tenant;
    private String tenantKey;

    @BeforeEach
    void setUp() {
        RECEIVED.clear();
        admin = Api.admin();
        tenant = Api.registerAndLogin("audio");
        tenantKey = Api.createApiKey(tenant, "sdk");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test",
                "t:" + UUID.randomUUID());
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.stop(0);
    }

    private String pool() {
        String name = "whisper-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name, "strategy", "round_robin"))
                .post("/api/v1/admin/pools").then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "kind", "openai",
                        "url", "http://127.0.0.1:" + BACKEND.getAddress().getPort() + "/v1",
                        "api_keys", List.of("sk-backend-audio-0001")))
                .post("/api/v1/admin/backends").then().statusCode(201);
        return name;
    }

    private OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder().baseUrl(gatewayV1.toString()).apiKey(tenantKey).maxRetries(0).build();
    }

    @Test
    void sdkUploadReachesTheBackendByteForByteIsMeteredOnceAndLeavesNoSpoolFile() throws Exception {
        String model = pool();
        byte[] audio = new byte[2 * 1024 * 1024];
        new Random(19).nextBytes(audio);
        Path file = Files.createTempFile("speech", ".wav");
        Files.write(file, audio);
        long spoolsBefore = spoolFiles();

        String text = sdk().audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(file).model(model).build()).asTranscription().text();

        assertThat(RECEIVED).hasSize(1);
        Received sent = RECEIVED.get(0);
        assertThat(text).isEqualTo("heard " + sent.body().length + " bytes");
        assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(sent.authorization()).isEqualTo("Bearer sk-backend-audio-0001");
        String boundary = MultipartFieldScanner.boundary(sent.contentType());
        assertThat(boundary).isNotNull();
        // The SDK sends the file before the model: the gateway must have read past 2 MB to find the pool.
        String wire = new String(sent.body(), StandardCharsets.ISO_8859_1);
        assertThat(wire.indexOf("name=\"file\"")).isLessThan(wire.indexOf("name=\"model\""));
        assertThat(sha256(filePart(sent.body(), boundary))).isEqualTo(sha256(audio));
        assertThat(fieldValue(wire, boundary, "model")).isEqualTo(model);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", equalTo(1)).body("tokens_in", equalTo(0)).body("tokens_out", equalTo(0)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(spoolFiles()).isEqualTo(spoolsBefore));
        Files.delete(file);
    }

    @Test
    void aHandWrittenFormIsPassedOnWithTheSameBytesAndContentType() throws Exception {
        String model = pool();
        // Model first, as curl -F model=... -F file=@... sends it; the file holds a fake model field of its own.
        String boundary = "----curlBoundary" + UUID.randomUUID();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n"
                + "Content-Type: audio/mpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        // Under the test profile's MAX_BODY_SIZE, which the HTTP layer applies to any declared Content-Length.
        byte[] audio = new byte[200_000];
        new Random(7).nextBytes(audio);
        form.write(audio);
        form.write(("Content-Disposition: form-data; name=\"model\"\r\n\r\nnot-" + model).getBytes(StandardCharsets.UTF_8));
        form.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\ntext\r\n--"
                + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String contentType = "multipart/form-data; boundary=" + boundary;

        given().header("Authorization", "Bearer " + tenantKey).contentType(contentType).body(form.toByteArray())
                .post("/v1/audio/transcriptions").then().statusCode(200).body("text", equalTo("heard "
                        + form.size() + " bytes"));

        Received sent = RECEIVED.get(0);
        assertThat(sent.contentType()).isEqualTo(contentType);
        assertThat(sha256(sent.body())).isEqualTo(sha256(form.toByteArray()));
    }

    @Test
    void aFormWithoutModelIs400AndAnUnknownModelIs404InOpenAiShape() throws Exception {
        long spoolsBefore = spoolFiles();
        Path file = Files.createTempFile("speech", ".wav");
        Files.write(file, new byte[1000]);
        String form = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n"
                + "abc\r\n--b0undary--\r\n";
        given().header("Authorization", "Bearer " + tenantKey).contentType("multipart/form-data; boundary=b0undary")
                .body(form.getBytes(StandardCharsets.UTF_8)).post("/v1/audio/transcriptions").then().statusCode(400)
                .body("error.param", equalTo("model")).body("error.type", equalTo("invalid_request_error"));
        assertThatThrownBy(() -> sdk().audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(file).model("").build())).isInstanceOf(BadRequestException.class);
        given().header("Authorization", "Bearer " + tenantKey).contentType("multipart/form-data; boundary=b0undary")
                .body(form.replace("--b0undary--", "--b0undary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                        + "no-such-model\r\n--b0undary--").getBytes(StandardCharsets.UTF_8))
                .post("/v1/audio/transcriptions").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body("{}")
                .post("/v1/audio/transcriptions").then().statusCode(400);
        assertThat(RECEIVED).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(spoolFiles()).isEqualTo(spoolsBefore));
        Files.delete(file);
    }

    @Test
    void anUploadLargerThanAudioMaxUploadIs413() throws Exception {
        String model = pool();
        byte[] big = new byte[26 * 1024 * 1024];
        String head = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n--b\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n";
        System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, big, 0, head.length());
        // Streamed without a Content-Length (as the SDK sends): the gateway counts while spooling.
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayV1 + "/audio/transcriptions"))
                .header("Authorization", "Bearer " + tenantKey).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("AUDIO_MAX_UPLOAD");
        assertThat(RECEIVED).isEmpty();
    }

    @Test
    void aClientThatHangsUpWhileTheBackendWorksLeavesNoSpoolFile() throws Exception {
        String model = pool();
        long spoolsBefore = spoolFiles();
        String form = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nslow-backend"
                + "\r\n--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n--b--\r\n";
        byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(gatewayV1.getHost(), gatewayV1.getPort())) {
            socket.getOutputStream().write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + tenantKey + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !RECEIVED.isEmpty());
            assertThat(spoolFiles()).isEqualTo(spoolsBefore + 1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(spoolFiles()).isEqualTo(spoolsBefore));
    }

    private static long spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith(AudioTranscriptionRoute.SPOOL_PREFIX))
                    .count();
        }
    }

    /** The content of the part named "file" in a multipart body. */
    private static byte[] filePart(byte[] body, String boundary) {
        String wire = new String(body, StandardCharsets.ISO_8859_1);
        int header = wire.indexOf("name=\"file\"");
        int start = wire.indexOf("\r\n\r\n", header) + 4;
        int end = wire.indexOf("\r\n--" + boundary, start);
        return wire.substring(start, end).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String fieldValue(String wire, String boundary, String name) {
        int header = wire.indexOf("name=\"" + name + "\"");
        int start = wire.indexOf("\r\n\r\n", header) + 4;
        return wire.substring(start, wire.indexOf("\r\n--" + boundary, start));
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
