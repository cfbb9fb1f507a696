package dev.gpuproxy.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.cli.common.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * vast.ai and io.net as the packaged gpuproxyd sees them, on 127.0.0.1, speaking their wire formats: vast.ai lists
 * {@link #VAST_OFFERS} RTX 4090 asks (ids 12345 and up, one per host), rents one only when the body names an image
 * (it answers 400 {@code invalid_args} otherwise, as vast.ai does), shows rented instances running on port 8000 and
 * destroys them; io.net serves its documented VMaaS hardware list. As on vast.ai, a rental's contract (instance) id is a
 * new number, never the ask id and never reused; a destroyed machine's ask goes back on the market.
 */
final class MarketplaceStandIns implements AutoCloseable {

    static final int VAST_OFFERS = 18;
    static final int FIRST_ASK = 12345;

    private final HttpServer server;
    /** Machines rented now: the accepted rental body by ask id; destroyed ones go back on the market. */
    final Map<String, JsonNode> rentals = new ConcurrentHashMap<>();
    /** The ask each contract rented. */
    private final Map<String, String> asksByContract = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong contracts = new java.util.concurrent.atomic.AtomicLong(8_100_000);
    /** Every rental body vast.ai accepted, in order. */
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    /** Rentals vast.ai refused for want of an image. */
    final List<String> refusedWithoutImage = new CopyOnWriteArrayList<>();
    /** Contract ids destroyed. */
    final List<String> destroyed = new CopyOnWriteArrayList<>();

    MarketplaceStandIns() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v0/bundles/", this::vastSearch);
        server.createContext("/api/v0/asks/", this::vastRent);
        server.createContext("/api/v0/instances/", this::vastInstance);
        server.createContext("/api/v1/instances/", exchange -> send(exchange, 200,
                "{\"instances\": [], \"next_token\": null}"));
        server.createContext("/enterprise/v1/io-cloud/vmaas/hardware", exchange -> send(exchange, 200, """
                {"data": {"hardware": [
                  {"id": "12__1__US", "deploy_id": 12, "name": "GeForce RTX 4090", "num_cards": 1,
                   "supplier": "internal", "sold_out": false, "price": 0.318, "vram_per_card": 24,
                   "interconnect": null, "nvlink": false, "storage": 500, "vcpu": 39, "memory": 125, "location": "US"},
                  {"id": "H100_sxm5x8__CA", "deploy_id": "H100_sxm5x8", "name": "H100 80GB HBM3", "num_cards": 8,
                   "supplier": "external", "sold_out": false, "price": 19.92, "vram_per_card": 80,
                   "interconnect": "sxm5", "nvlink": true, "storage": 8000, "vcpu": 176, "memory": 1480,
                   "location": "CA"}]}}
                """));
        server.start();
    }

    /** Environment that points gpuproxyd at these stand-ins. */
    Map<String, String> environment() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("VASTAI_API_KEY", "vk-cli-test", "VASTAI_API_URL", url,
                "IONET_API_KEY", "io-cli-test", "IONET_API_URL", url);
    }

    private void vastSearch(HttpExchange exchange) throws IOException {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode offers = answer.putArray("offers");
        for (int i = 0; i < VAST_OFFERS; i++) {
            int ask = FIRST_ASK + i;
            if (rentals.containsKey(String.valueOf(ask))) {
                continue; // rented asks leave the market
            }
            ObjectNode offer = offers.addObject();
            offer.put("id", ask);
            offer.put("machine_id", 900 + i);
            offer.put("host_id", 700 + i);
            offer.put("gpu_name", "RTX 4090");
            offer.put("num_gpus", 1);
            offer.put("gpu_ram", 24564);
            offer.put("cpu_cores_effective", 8);
            offer.put("cpu_ram", 64000);
            offer.put("disk_space", 200);
            offer.put("dph_total", new java.math.BigDecimal("0.30").add(new java.math.BigDecimal(i).movePointLeft(2)));
            offer.put("geolocation", "Oslo, NO");
            offer.put("reliability2", 0.99);
            offer.put("dlperf", 50);
            offer.put("rentable", true);
            offer.put("rented", false);
        }
        exchange.getRequestBody().readAllBytes();
        send(exchange, 200, answer.toString());
    }

    private void vastRent(HttpExchange exchange) throws IOException {
        String ask = exchange.getRequestURI().getPath().replaceAll(".*/asks/(\\d+)/?$", "$1");
        JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
        if (!body.hasNonNull("image") || body.get("image").asText().isBlank()) {
            refusedWithoutImage.add(ask);
            send(exchange, 400, "{\"success\": false, \"error\": \"invalid_args\", \"msg\": \"image is required\"}");
            return;
        }
        String contract = String.valueOf(contracts.incrementAndGet());
        rentals.put(ask, body);
        asksByContract.put(contract, ask);
        accepted.add(body);
        send(exchange, 200, "{\"success\": true, \"new_contract\": " + contract + "}");
    }

    private void vastInstance(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().replaceAll(".*/instances/(\\d+)/?$", "$1");
        exchange.getRequestBody().readAllBytes();
        String ask = asksByContract.get(id);
        if (exchange.getRequestMethod().equals("DELETE")) {
            destroyed.add(id);
            if (ask != null) {
                rentals.remove(ask);
                asksByContract.remove(id);
            }
            send(exchange, 200, "{\"success\": true}");
            return;
        }
        if (ask == null) {
            send(exchange, 200, "{\"instances\": null}");
            return;
        }
        send(exchange, 200, "{\"instances\": {\"id\": " + id + ", \"actual_status\": \"running\","
                + " \"public_ipaddr\": \"185.32.10." + (Integer.parseInt(id) % 200) + "\","
                + " \"ports\": {\"8000/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"20000\"}]},"
                + " \"gpu_name\": \"RTX 4090\", \"num_gpus\": 1, \"dph_total\": 0.30}}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
