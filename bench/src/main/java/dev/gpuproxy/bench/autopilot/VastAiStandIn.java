package dev.gpuproxy.bench.autopilot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import dev.gpuproxy.bench.stub.UpstreamStub;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vast.ai on 127.0.0.1 for the autopilot benchmark, speaking the wire format of the calls gpuproxyd's vast.ai adapter
 * makes (offer search, rent an ask, show one instance, list instances, destroy). Every rented instance is an
 * {@link UpstreamStub} instance on a free loopback port, started {@code --boot-ms} after the rental (standing in for
 * image pull and model load); until then vast.ai reports it {@code loading} without ports. {@code GET /_bench/rentals}
 * lists every rental with its price and when it was rented, ready and destroyed (epoch ms), so the scenario can bill
 * GPU-hours exactly as a marketplace would.
 *
 * <p>{@code vastai --port 21050 --boot-ms 2000 --prices 0.31,0.38,0.42 --stub latency=200,slots=4}
 */
public final class VastAiStandIn {

    private static final Pattern ASK = Pattern.compile("/api/v0/asks/(\\d+)/");
    private static final Pattern INSTANCE = Pattern.compile("/api/v0/instances/(\\d+)/");
    private static final long FIRST_ASK = 7001;

    /** One rental: the ask it took, its stub's port once booted, and its billing times. */
    private static final class Rental {
        final long id;
        final long askId;
        final String price;
        final long rentedAtMs = System.currentTimeMillis();
        volatile long readyAtMs;
        volatile long destroyedAtMs;
        volatile int port;
        volatile String deployment;

        Rental(long id, long askId, String price) {
            this.id = id;
            this.askId = askId;
            this.price = price;
        }

        boolean live() {
            return destroyedAtMs == 0;
        }
    }

    private final Map<Long, String> prices = new LinkedHashMap<>();
    private final Map<Long, Rental> rentals = new LinkedHashMap<>();
    private final AtomicLong nextId = new AtomicLong(5_300_000);
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final java.util.concurrent.ScheduledExecutorService boots = Executors.newSingleThreadScheduledExecutor();
    private final long bootMs;
    private final String stubSpec;

    private VastAiStandIn(List<String> pricesPerHour, long bootMs, String stubSpec) {
        long id = FIRST_ASK;
        for (String price : pricesPerHour) {
            prices.put(id++, price.trim());
        }
        this.bootMs = bootMs;
        this.stubSpec = stubSpec;
    }

    public static void main(Args args) throws IOException {
        VastAiStandIn standIn = new VastAiStandIn(List.of(args.value("prices", "0.31,0.38,0.42,0.55").split(",")),
                args.longValue("boot-ms", 2000), args.value("stub", "latency=200,slots=8"));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                args.intValue("port", 0)), 64);
        http.createContext("/", exchange -> {
            try {
                standIn.handle(exchange);
            } catch (RuntimeException e) {
                send(exchange, 500, "{\"success\": false, \"error\": \"stand_in\", \"msg\": \"" + e + "\"}");
            }
        });
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        System.out.println("vastai ready: port=" + http.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        exchange.getRequestBody().readAllBytes();
        Matcher ask = ASK.matcher(path);
        Matcher instance = INSTANCE.matcher(path);
        if (method.equals("POST") && path.equals("/api/v0/bundles/")) {
            send(exchange, 200, offers());
        } else if (method.equals("PUT") && ask.matches()) {
            rent(exchange, Long.parseLong(ask.group(1)));
        } else if (method.equals("GET") && instance.matches()) {
            Rental rental = find(Long.parseLong(instance.group(1)));
            send(exchange, 200, "{\"instances\": " + (rental == null ? "null" : instanceJson(rental)) + "}");
        } else if (method.equals("DELETE") && instance.matches()) {
            destroy(Long.parseLong(instance.group(1)));
            send(exchange, 200, "{\"success\": true}");
        } else if (method.equals("GET") && path.equals("/api/v1/instances/")) {
            List<String> all = new ArrayList<>();
            live().forEach(r -> all.add(instanceJson(r)));
            send(exchange, 200, "{\"instances\": [" + String.join(",", all) + "]}");
        } else if (method.equals("GET") && path.equals("/_bench/rentals")) {
            send(exchange, 200, rentalsJson());
        } else {
            send(exchange, 404, "{\"success\": false, \"error\": \"not_found\", \"msg\": \"no such endpoint\"}");
        }
    }

    private synchronized List<Rental> live() {
        return rentals.values().stream().filter(Rental::live).toList();
    }

    private synchronized Rental find(long id) {
        Rental rental = rentals.get(id);
        return rental == null || !rental.live() ? null : rental;
    }

    private synchronized String offers() {
        List<String> listed = new ArrayList<>();
        for (Map.Entry<Long, String> offer : prices.entrySet()) {
            long id = offer.getKey();
            if (live().stream().noneMatch(r -> r.askId == id)) {
                listed.add("""
                        {"id": %d, "ask_contract_id": %d, "host_id": %d, "gpu_name": "RTX 4090", "num_gpus": 1,
                         "gpu_ram": 24564, "cpu_cores_effective": 16.0, "cpu_ram": 64000, "disk_space": 200.0,
                         "dph_total": %s, "reliability2": 0.99, "dlperf": 45.1, "rentable": true, "rented": false,
                         "geolocation": "Oslo, NO"}""".formatted(id, id, id + 1000, offer.getValue()));
            }
        }
        return "{\"offers\": [" + String.join(",", listed) + "]}";
    }

    private synchronized void rent(HttpExchange exchange, long askId) throws IOException {
        String price = prices.get(askId);
        if (price == null || live().stream().anyMatch(r -> r.askId == askId)) {
            send(exchange, 400, "{\"success\": false, \"error\": \"no_such_ask\", \"msg\": \"Instance type no longer"
                    + " available\"}");
            return;
        }
        Rental rental = new Rental(nextId.incrementAndGet(), askId, price);
        rentals.put(rental.id, rental);
        boots.schedule(() -> boot(rental), bootMs, TimeUnit.MILLISECONDS);
        send(exchange, 200, "{\"success\": true, \"new_contract\": " + rental.id + "}");
    }

    /** The image is pulled and the model loaded: the stub starts answering on a free port. */
    private void boot(Rental rental) {
        if (!rental.live()) {
            return;
        }
        try {
            int port = freePort();
            rental.deployment = UpstreamStub.deploy(vertx, "name=gpu" + rental.id + ",port=" + port + "," + stubSpec)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            rental.port = port;
            rental.readyAtMs = System.currentTimeMillis();
            if (!rental.live()) {
                vertx.undeploy(rental.deployment);
            }
        } catch (Exception e) {
            System.err.println("rental " + rental.id + " did not boot: " + e);
        }
    }

    private synchronized void destroy(long id) {
        Rental rental = rentals.get(id);
        if (rental == null || !rental.live()) {
            return;
        }
        rental.destroyedAtMs = System.currentTimeMillis();
        if (rental.deployment != null) {
            vertx.undeploy(rental.deployment);
        }
    }

    private static String instanceJson(Rental r) {
        boolean running = r.port > 0;
        String ports = running
                ? "{\"8000/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"" + r.port + "\"}]}" : "null";
        return """
                {"id": %d, "actual_status": "%s", "gpu_name": "RTX 4090", "num_gpus": 1, "dph_total": %s,
                 "public_ipaddr": "127.0.0.1", "ports": %s, "start_date": %.3f, "status_msg": "ok"}"""
                .formatted(r.id, running ? "running" : "loading", r.price, ports, r.rentedAtMs / 1000.0);
    }

    private synchronized String rentalsJson() throws IOException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Rental r : rentals.values()) {
            ObjectNode row = list.addObject();
            row.put("id", r.id);
            row.put("price_per_hour", Double.parseDouble(r.price));
            row.put("rented_at_ms", r.rentedAtMs);
            row.put("ready_at_ms", r.readyAtMs);
            row.put("destroyed_at_ms", r.destroyedAtMs);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("now_ms", System.currentTimeMillis());
        answer.put("boot_ms", bootMs);
        answer.set("rentals", list);
        return Json.MAPPER.writeValueAsString(answer);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
