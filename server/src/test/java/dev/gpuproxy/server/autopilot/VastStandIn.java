package dev.gpuproxy.server.autopilot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vast.ai on 127.0.0.1, speaking its wire format (offer search, rent an ask, instance state, destroy), where every
 * rented instance is a real local OpenAI-compatible server: started when the offer is rented, stopped when the
 * instance is destroyed or preempted. A preempted instance stays listed as {@code offline}, as vast.ai shows a lost
 * host, until it is destroyed.
 */
final class VastStandIn implements AutoCloseable {

    /** An offer: its id and price per hour; rented offers are not listed until their instance is destroyed. */
    record Ask(long id, BigDecimal pricePerHour) {}

    /** A rented instance and the model server that runs "on" it. */
    static final class Rented {
        final long id;
        final Ask ask;
        final FakeModelServer server;
        volatile String status = "loading";
        volatile boolean destroyed;

        Rented(long id, Ask ask, FakeModelServer server) {
            this.id = id;
            this.ask = ask;
            this.server = server;
        }
    }

    private static final Pattern ASK = Pattern.compile("/api/v0/asks/(\\d+)/");
    private static final Pattern INSTANCE = Pattern.compile("/api/v0/instances/(\\d+)/");

    private final HttpServer http;
    private final List<Ask> asks;
    private final Map<Long, Rented> instances = new LinkedHashMap<>();
    private final AtomicLong nextId = new AtomicLong(9_100_000);
    private final AtomicInteger launches = new AtomicInteger();

    VastStandIn(List<Ask> asks) {
        this.asks = List.copyOf(asks);
        this.http = LocalHttpServers.start("/", this::handle);
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Every rental so far. */
    int launches() {
        return launches.get();
    }

    /** Instances not destroyed, preempted ones included. */
    synchronized List<Rented> live() {
        return instances.values().stream().filter(i -> !i.destroyed).toList();
    }

    /** Instances running and serving. */
    synchronized List<Rented> running() {
        return instances.values().stream().filter(i -> !i.destroyed && i.status.equals("running")).toList();
    }

    /** The host is lost: its model server dies at once (open connections too) and vast.ai reports it offline. */
    void preempt(Rented instance) {
        instance.status = "offline";
        instance.server.close();
    }

    synchronized void reset() {
        instances.values().forEach(i -> i.server.close());
        instances.clear();
        launches.set(0);
    }

    @Override
    public void close() {
        reset();
        http.stop(0);
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
            Rented rented = find(Long.parseLong(instance.group(1)));
            send(exchange, 200, "{\"instances\": " + (rented == null ? "null" : instanceJson(rented)) + "}");
        } else if (method.equals("DELETE") && instance.matches()) {
            Rented rented = find(Long.parseLong(instance.group(1)));
            if (rented != null) {
                rented.destroyed = true;
                rented.server.close();
            }
            send(exchange, 200, "{\"success\": true}");
        } else if (method.equals("GET") && path.equals("/api/v1/instances/")) {
            List<String> all = new ArrayList<>();
            live().forEach(i -> all.add(instanceJson(i)));
            send(exchange, 200, "{\"instances\": [" + String.join(",", all) + "]}");
        } else {
            send(exchange, 404, "{\"success\": false, \"error\": \"not_found\", \"msg\": \"no such endpoint\"}");
        }
    }

    private synchronized String offers() {
        List<String> listed = new ArrayList<>();
        for (Ask a : asks) {
            boolean taken = instances.values().stream().anyMatch(i -> !i.destroyed && i.ask.id() == a.id());
            if (!taken) {
                listed.add("""
                        {"id": %d, "ask_contract_id": %d, "host_id": %d, "gpu_name": "RTX 4090", "num_gpus": 1,
                         "gpu_ram": 24564, "cpu_cores_effective": 16.0, "cpu_ram": 64000, "disk_space": 200.0,
                         "dph_total": %s, "reliability2": 0.99, "dlperf": 45.1, "rentable": true, "rented": false,
                         "geolocation": "Oslo, NO"}""".formatted(a.id(), a.id(), a.id() + 1000, a.pricePerHour()));
            }
        }
        return "{\"offers\": [" + String.join(",", listed) + "]}";
    }

    private synchronized void rent(HttpExchange exchange, long askId) throws IOException {
        Ask wanted = asks.stream().filter(a -> a.id() == askId).findFirst().orElse(null);
        boolean taken = instances.values().stream().anyMatch(i -> !i.destroyed && i.ask.id() == askId);
        if (wanted == null || taken) {
            send(exchange, 400, "{\"success\": false, \"error\": \"no_such_ask\", \"msg\": \"Instance type no longer"
                    + " available\"}");
            return;
        }
        long id = nextId.incrementAndGet();
        Rented rented = new Rented(id, wanted, new FakeModelServer());
        instances.put(id, rented);
        launches.incrementAndGet();
        // The machine reports "loading" on the first look, then "running".
        send(exchange, 200, "{\"success\": true, \"new_contract\": " + id + "}");
    }

    private synchronized Rented find(long id) {
        Rented rented = instances.get(id);
        return rented == null || rented.destroyed ? null : rented;
    }

    private static String instanceJson(Rented i) {
        String status = i.status;
        if (status.equals("loading")) {
            i.status = "running";
        }
        String ports = status.equals("running")
                ? "{\"8000/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"" + i.server.port() + "\"}]}" : "null";
        return """
                {"id": %d, "actual_status": "%s", "gpu_name": "RTX 4090", "num_gpus": 1, "dph_total": %s,
                 "public_ipaddr": "127.0.0.1", "ports": %s, "start_date": 1764921600.5,
                 "status_msg": "%s"}""".formatted(i.id, status, i.ask.pricePerHour(), ports,
                status.equals("offline") ? "host went offline" : "ok");
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
