package dev.gpuproxy.bench;

import dev.gpuproxy.bench.autopilot.AutopilotScenario;
import dev.gpuproxy.bench.autopilot.VastAiStandIn;
import dev.gpuproxy.bench.load.GatewaySetup;
import dev.gpuproxy.bench.load.RateLoad;
import dev.gpuproxy.bench.load.StreamLoad;
import dev.gpuproxy.bench.reference.BareVertxProxy;
import dev.gpuproxy.bench.report.JfrTop;
import dev.gpuproxy.bench.report.Report;
import dev.gpuproxy.bench.stub.UpstreamStub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/**
 * The bench tools in one jar, driven by {@code bench/run}: {@code stub} (the OpenAI-speaking upstream), {@code setup}
 * (pools, key and credits on a running gpuproxyd), {@code streams} (concurrent SSE streams), {@code rate} (open-loop
 * request rate, for balancing quality and the soak), {@code vastai} (a vast.ai stand-in renting stub instances), {@code vertx-proxy} (a bare Vert.x reverse
 * proxy, the floor of gpuproxyd's stack, for pass-through),
 * {@code autopilot} (cold start, cost per token and scale to zero of an autoscaled pool), {@code jfr-top} (hot
 * methods of a JFR recording), {@code report}
 * (results JSON and BENCHMARKS.md) and {@code ports} (free loopback ports). JMH runs from the same jar through
 * {@code org.openjdk.jmh.Main}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage();
            System.exit(2);
        }
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "stub" -> UpstreamStub.main(args);
            case "setup" -> GatewaySetup.main(args);
            case "streams" -> StreamLoad.main(args);
            case "rate" -> RateLoad.main(args);
            case "vastai" -> VastAiStandIn.main(args);
            case "vertx-proxy" -> BareVertxProxy.main(args);
            case "autopilot" -> AutopilotScenario.main(args);
            case "jfr-top" -> JfrTop.main(args);
            case "report" -> Report.main(args);
            case "ports" -> ports(args.intValue("count", 1), args.intValue("from", 21000));
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    /**
     * Prints {@code count} loopback ports that are free now, counting up from {@code from}: below the kernel's
     * ephemeral range, so the thousands of outgoing connections of a run cannot take one before its server binds it.
     */
    private static void ports(int count, int from) throws IOException {
        int found = 0;
        for (int port = from; found < count && port < 65536; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                System.out.println(socket.getLocalPort());
                found++;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        if (found < count) {
            throw new IOException("only " + found + " free ports from " + from);
        }
    }

    private static void usage() {
        System.err.println("usage: java -jar gpuproxy-bench.jar <stub|setup|streams|rate|vastai|vertx-proxy|autopilot|jfr-top|report|ports> "
                + "[--option value ...] (see bench/run)");
    }
}
