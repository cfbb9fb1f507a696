package dev.gpuproxy.cli.admin;

import dev.gpuproxy.api.model.UserUsage;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Shows a user's metered usage (requests, tokens, GPU seconds, credits) as the server totals it; micro-credit
 * fields are shown as credits for people and left as the server sent them in JSON.
 */
@Command(name = "usage",
        description = "Show a user's usage: requests, tokens in and out, GPU seconds and credits.",
        footer = {
            "  gpuproxy-admin usage alice@example.com",
            "  gpuproxy-admin usage alice@example.com --format json | jq .credits_micros"
        })
public final class UsageCommand extends AdminApiCommand {

    /** The server counts money in micro-credits ({@code credits_micros}); people read credits. */
    private static final String MICROS = "_micros";

    @Parameters(paramLabel = "<email>", description = "The user's email.")
    String email;

    @Override
    protected void execute() {
        requireEmail(email);
        ApiClient api = api();
        Reply<UserUsage> usage = api.get(userPath(userByEmail(api, email), "/usage"), UserUsage.class);
        if (output().isJson()) {
            output().json(usage.json());
            return;
        }
        Details details = new Details().add("Email", email);
        usage.value().figures().forEach((name, value) -> {
            if (name.endsWith(MICROS) && wholeNumber(value) != null) {
                details.add(label(name.substring(0, name.length() - MICROS.length())),
                        wholeNumber(value).movePointLeft(6).stripTrailingZeros().toPlainString());
            } else {
                details.add(label(name), value instanceof Map || value instanceof List ? Json.compact(value) : value);
            }
        });
        output().details(details);
    }

    /** A number without a fraction as an exact decimal; null for anything else. */
    private static BigDecimal wholeNumber(Object value) {
        if (!(value instanceof Number number)) {
            return null;
        }
        BigDecimal decimal = new BigDecimal(number.toString());
        return decimal.stripTrailingZeros().scale() <= 0 ? decimal.setScale(0) : null;
    }

    /** {@code gpu_seconds} -> "GPU seconds": the server's field names, readable. */
    static String label(String field) {
        StringBuilder label = new StringBuilder();
        for (String word : field.split("_")) {
            String shown = switch (word.toLowerCase(Locale.ROOT)) {
                case "gpu" -> "GPU";
                case "id" -> "ID";
                default -> word.toLowerCase(Locale.ROOT);
            };
            if (label.length() == 0 && !shown.isEmpty()) {
                shown = Character.toUpperCase(shown.charAt(0)) + shown.substring(1);
            } else {
                label.append(' ');
            }
            label.append(shown);
        }
        return label.toString();
    }
}
