package dev.gpuproxy.cli.client.reservation;

import dev.gpuproxy.api.model.Reservation;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.LbStrategies;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reserves 1 to 16 GPUs in one call (all or nothing unless {@code --partial}) and shows what was reserved. The
 * server does the work in one request; at a terminal the elapsed time is shown on stderr meanwhile.
 */
@Command(name = "reserve",
        description = {"Reserve 1 to 16 GPUs at once from the offers that match, and show what was reserved.",
            "", "All or nothing: if one launch fails, the others are released (unless --partial)."},
        footer = {
            "  gpuproxy-client reserve 16 --min-vram 80 --max-price 2.5",
            "  gpuproxy-client reserve 4 --gpu A100 --image vllm/vllm-openai:latest --port 8000 --duration 2h"
                    + " --strategy least_connections --model my-llama",
            "  gpuproxy-client reserve 2 --provider static --format json | jq .reservation_id"
        })
public final class ReserveCommand extends ApiCommand {

    static final int MAX_GPUS = 16;

    @Parameters(paramLabel = "<count>", description = "How many GPUs, 1 to 16.")
    int count;

    @Option(names = "--min-vram", paramLabel = "<GB>", description = "At least this much memory per GPU.")
    Double minVram;

    @Option(names = "--max-price", paramLabel = "<USD>", description = "At most this many US dollars per hour each.")
    BigDecimal maxPrice;

    @Option(names = "--gpu", paramLabel = "<model>", description = "GPU model, any part of the name.")
    String gpu;

    @Option(names = "--location", paramLabel = "<where>", description = "Country code or part of the place.")
    String location;

    @Option(names = "--provider", paramLabel = "<provider>", description = "Only this provider (repeatable).")
    List<String> providers;

    @Option(names = "--image", paramLabel = "<image>", description = "Container image to run (default: the server's GPU_DEFAULT_IMAGE).")
    String image;

    @Option(names = "--env", paramLabel = "<NAME=value>", description = "Environment variable for the container.")
    Map<String, String> env;

    @Option(names = "--port", paramLabel = "<port>", description = "Container port to publish.")
    List<Integer> ports;

    @Option(names = "--disk-gb", paramLabel = "<GB>", description = "Disk size per instance.")
    Integer diskGb;

    @Option(names = "--strategy", paramLabel = "<strategy>",
            description = "Load balancing over the reserved GPUs (default: the server's).")
    String strategy;

    @Option(names = "--duration", paramLabel = "<time>",
            description = "Release automatically after this long: minutes, or 90m, 2h, 1d.")
    String duration;

    @Option(names = "--model", paramLabel = "<name>", description = "Model name that reaches these GPUs via 'chat'.")
    String model;

    @Option(names = "--partial", description = "Keep what could be reserved when some launches fail.")
    boolean partial;

    @Override
    protected void execute() {
        if (count < 1 || count > MAX_GPUS) {
            throw usageError("<count> must be between 1 and " + MAX_GPUS + " GPUs (got " + count + ")");
        }
        if (strategy != null && LbStrategies.problem("--strategy", strategy) != null) {
            throw usageError(LbStrategies.problem("--strategy", strategy));
        }
        Integer minutes = duration == null ? null : minutes(duration);
        Map<String, Object> filters = ApiClient.body("min_vram", minVram, "max_price", maxPrice, "gpu_model", gpu,
                "location", location, "providers", providers);
        Map<String, Object> body = ApiClient.body("count", count, "filters", filters.isEmpty() ? null : filters,
                "image", image, "env", env, "ports", ports, "disk_gb", diskGb, "strategy", strategy,
                "duration_minutes", minutes, "all_or_nothing", partial ? Boolean.FALSE : null, "model", model);
        ApiClient api = api();
        Reply<Reservation> reservation = withProgress(() -> api.post("/api/v1/gpu/instances/reserve", body,
                Reservation.class));
        if (output().isJson()) {
            output().json(reservation.json());
            return;
        }
        Reservations.print(output(), reservation.value());
        String id = reservation.value().reservationId();
        output().note("Release them with '" + toolName() + " release " + (id == null ? "-" : id) + "'.");
    }

    /** {@code 90}, {@code 90m}, {@code 2h}, {@code 1d} as minutes; anything else is a usage error. */
    private int minutes(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        int factor = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'm' -> 1;
            case 'h' -> 60;
            case 'd' -> 1440;
            default -> 0;
        };
        String digits = factor == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long minutes = Long.parseLong(digits) * Math.max(factor, 1);
            if (minutes >= 1 && minutes <= 525_600) {
                return (int) minutes;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw usageError("--duration must be minutes or a number with m, h or d, up to a year (got '" + text + "')");
    }

    /** Runs the request; at a terminal, shows the elapsed seconds on stderr until it answers. */
    private <T> T withProgress(Supplier<T> request) {
        if (!environment().interactive()) {
            return request.get();
        }
        PrintWriter err = output().err();
        CountDownLatch done = new CountDownLatch(1);
        long started = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                do {
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                    err.print("\rReserving " + count + " GPU" + (count == 1 ? "" : "s") + "... " + seconds + " s");
                    err.flush();
                } while (!done.await(1, TimeUnit.SECONDS));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "reserve-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return request.get();
        } finally {
            done.countDown();
            try {
                ticker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\033[K");
            err.flush();
        }
    }
}
