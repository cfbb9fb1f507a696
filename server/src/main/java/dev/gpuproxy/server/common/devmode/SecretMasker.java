package dev.gpuproxy.server.common.devmode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in what debug mode logs: credential headers (Authorization, X-API-Key, cookies, signatures), JSON
 * fields and form or query parameters named like secrets (password, token, api_key, secret, ...), and anywhere in
 * text: card numbers, gpuproxy API keys (the public prefix stays) and JWTs.
 */
public final class SecretMasker {

    public static final String MASK = "***";

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key", "x-goog-api-key", "cookie", "set-cookie", "stripe-signature");
    /** 13 to 19 digits, optionally grouped by spaces or dashes: the shape of a card number. */
    private static final Pattern CARD = Pattern.compile("(?<![\\w])\\d(?:[ -]?\\d){12,18}(?![\\w])");
    private static final Pattern API_KEY = Pattern.compile("\\b(gpx_[A-Za-z0-9]+_)[A-Za-z0-9]+");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[^\\s,\"]+");
    private static final Pattern PARAMETER = Pattern.compile("([?&;]|^)([^=&?;\\s]+)=([^&;\\s]*)");

    private SecretMasker() {
    }

    /** Whether a JSON field, form field or query parameter of this name holds a secret. */
    static boolean secretName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.contains("api_key")
                || n.contains("apikey") || n.endsWith("token") || n.equals("tokens") || n.equals("key")
                || n.endsWith("_key") || n.equals("authorization") || n.contains("card_number")
                || n.equals("cvc") || n.equals("cvv") || n.equals("mnemonic") || n.equals("signature");
    }

    /** One header's value as it may be logged. */
    public static String header(String name, String value) {
        return SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? MASK : text(value);
    }

    /** Headers as {@code Name: value, ...}, secrets masked. */
    public static String headers(Iterable<Map.Entry<String, String>> headers) {
        StringJoiner joined = new StringJoiner(", ", "{", "}");
        for (Map.Entry<String, String> header : headers) {
            joined.add(header.getKey() + ": " + header(header.getKey(), header.getValue()));
        }
        return joined.toString();
    }

    /** A path with its query string, secret parameters masked. */
    public static String uri(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? text(uri) : text(uri.substring(0, query)) + parameters(uri.substring(query));
    }

    /** Free text (a header value, a non-JSON body): card numbers, API keys, JWTs and bearer credentials masked. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String masked = CARD.matcher(value).replaceAll(MASK);
        masked = API_KEY.matcher(masked).replaceAll("$1" + MASK);
        masked = JWT.matcher(masked).replaceAll(MASK);
        return BEARER.matcher(masked).replaceAll("$1 " + MASK);
    }

    /** Form-encoded text or a query string ({@code ?a=1&password=x}): secret parameters masked, the rest as text. */
    public static String parameters(String value) {
        Matcher matcher = PARAMETER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2);
            String shown = secretName(name) ? MASK : text(matcher.group(3));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + name + "=" + shown));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A body as it may be logged: JSON with secret fields masked, form data by parameter, anything else as text. */
    public static String body(String body, String contentType, ObjectMapper json) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            try {
                JsonNode tree = json.readTree(body);
                return tree == null ? "" : json.writeValueAsString(mask(tree));
            } catch (JsonProcessingException notJson) {
                return text(body);
            }
        }
        if (type.contains("x-www-form-urlencoded")) {
            return parameters(body);
        }
        return text(body);
    }

    static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(secretName(field.getKey()) && !field.getValue().isNull()
                        ? TextNode.valueOf(MASK) : mask(field.getValue()));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i)));
            }
            return array;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(text(node.asText()));
        }
        if (node.isIntegralNumber() && CARD.matcher(node.asText()).matches()) {
            return TextNode.valueOf(MASK);
        }
        return node;
    }
}
