package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.gateway.JsonBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an Open Inference Protocol v2 infer request before it costs a backend anything: inputs present, each with a
 * name, a known datatype and a shape whose element count equals the (flattened) data. With the binary tensor extension
 * ({@code Inference-Header-Content-Length}) only the JSON header is parsed; each binary input's
 * {@code binary_data_size} must fit the bytes that follow and, for fixed-size types, its shape. Returns the reason, if
 * any, in words fit for OIP's {@code {"error": "..."}}.
 */
public final class OpenInferenceValidator {

    public static final Set<String> DATATYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES");

    private OpenInferenceValidator() {
    }

    /** The binary tensor extension's header: the length of the JSON part that starts the body. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** Bytes per element of the fixed-size datatypes; BYTES elements are a 4-byte little-endian length and the bytes. */
    static final Map<String, Integer> ELEMENT_SIZES = Map.ofEntries(Map.entry("BOOL", 1), Map.entry("UINT8", 1),
            Map.entry("INT8", 1), Map.entry("UINT16", 2), Map.entry("INT16", 2), Map.entry("FP16", 2),
            Map.entry("UINT32", 4), Map.entry("INT32", 4), Map.entry("FP32", 4), Map.entry("UINT64", 8),
            Map.entry("INT64", 8), Map.entry("FP64", 8));

    /** An all-JSON request. */
    static Optional<String> problem(Buffer raw) {
        return problem(raw, null);
    }

    /** A request whose {@value #HEADER_LENGTH} header is {@code headerLength} (null: the whole body is JSON). */
    static Optional<String> problem(Buffer raw, String headerLength) {
        int jsonLength = raw == null ? 0 : raw.length();
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.trim());
            } catch (NumberFormatException e) {
                return Optional.of(HEADER_LENGTH + " must be a whole number of bytes, not '" + headerLength + "'");
            }
            if (jsonLength <= 0 || raw == null || jsonLength > raw.length()) {
                return Optional.of(HEADER_LENGTH + " is " + jsonLength + " but the body has "
                        + (raw == null ? 0 : raw.length()) + " bytes");
            }
        }
        JsonObject request;
        try {
            request = JsonBodies.object(raw == null ? null : raw.slice(0, jsonLength));
        } catch (JsonBodies.NotAnObject e) {
            return Optional.of(e.getMessage());
        }
        if (request == null) {
            return Optional.of("The request body is empty; an infer request needs \"inputs\"");
        }
        if (!(request.getValue("inputs") instanceof JsonArray inputs) || inputs.isEmpty()) {
            return Optional.of("The request needs a non-empty \"inputs\" array");
        }
        // Binary inputs follow the JSON in the order of "inputs", each binary_data_size bytes long.
        int offset = jsonLength;
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.getValue(i) instanceof JsonObject input)) {
                return Optional.of("inputs[" + i + "] is not an object");
            }
            Optional<String> problem = tensorProblem(input, "inputs[" + i + "]");
            if (problem.isPresent()) {
                return problem;
            }
            JsonObject parameters = input.getValue("parameters") instanceof JsonObject p ? p : null;
            if (parameters == null || !parameters.containsKey("binary_data_size")) {
                continue;
            }
            String label = "input '" + input.getString("name") + "'";
            if (headerLength == null) {
                return Optional.of(label + " has a binary_data_size but the request has no " + HEADER_LENGTH
                        + " header; send it with the length of the JSON part");
            }
            if (!(parameters.getValue("binary_data_size") instanceof Number size) || size.doubleValue() < 0
                    || size.doubleValue() != Math.rint(size.doubleValue())) {
                return Optional.of(label + " has an invalid binary_data_size " + parameters.getValue("binary_data_size")
                        + ": it must be a non-negative integer");
            }
            long bytes = size.longValue();
            if (bytes > raw.length() - offset) {
                return Optional.of(label + " has binary_data_size " + bytes + " but only " + (raw.length() - offset)
                        + " bytes of binary data remain after the JSON header");
            }
            problem = binaryProblem(label, input.getString("datatype"), elements(input.getJsonArray("shape")),
                    raw, offset, (int) bytes);
            if (problem.isPresent()) {
                return problem;
            }
            offset += (int) bytes;
        }
        if (offset != (raw == null ? 0 : raw.length())) {
            return Optional.of("The body has " + (raw.length() - offset) + " bytes after the JSON header that no"
                    + " input's binary_data_size accounts for");
        }
        if (request.getValue("outputs") != null && !(request.getValue("outputs") instanceof JsonArray)) {
            return Optional.of("\"outputs\" must be an array");
        }
        return Optional.empty();
    }

    private static Optional<String> tensorProblem(JsonObject input, String where) {
        if (!(input.getValue("name") instanceof String name) || name.isBlank()) {
            return Optional.of(where + " needs a \"name\"");
        }
        String label = "input '" + name + "'";
        if (!(input.getValue("datatype") instanceof String datatype) || !DATATYPES.contains(datatype)) {
            return Optional.of(label + " has unknown datatype " + input.getValue("datatype")
                    + "; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32,"
                    + " FP64, BYTES");
        }
        if (!(input.getValue("shape") instanceof JsonArray shape)) {
            return Optional.of(label + " needs a \"shape\" array");
        }
        for (Object dimension : shape) {
            if (!(dimension instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
                return Optional.of(label + " has an invalid shape " + shape.encode()
                        + ": dimensions must be non-negative integers");
            }
        }
        long expected = elements(shape);
        if (expected < 0) {
            return Optional.of(label + " has a shape " + shape.encode() + " too large to hold");
        }
        Object data = input.getValue("data");
        boolean binary = input.getValue("parameters") instanceof JsonObject parameters
                && parameters.containsKey("binary_data_size");
        if (binary) {
            return data == null ? Optional.empty()
                    : Optional.of(label + " has both \"data\" and a binary_data_size; send one of them");
        }
        if (data == null) {
            return Optional.of(label + " needs \"data\"");
        }
        long count = data instanceof JsonArray array ? count(array) : 1;
        if (count != expected) {
            return Optional.of(label + " has shape " + shape.encode() + " (" + expected + " elements) but "
                    + count + " data elements");
        }
        return Optional.empty();
    }

    /** Elements a (validated) shape holds, or -1 when the product overflows. */
    private static long elements(JsonArray shape) {
        long count = 1;
        try {
            for (Object dimension : shape) {
                count = Math.multiplyExact(count, ((Number) dimension).longValue());
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return count;
    }

    /**
     * Whether {@code bytes} bytes at {@code offset} hold {@code elements} elements of {@code datatype}: size times
     * elements for the fixed-size types; for BYTES, exactly that many length-prefixed elements.
     */
    public static Optional<String> binaryProblem(String label, String datatype, long elements, Buffer raw, int offset,
                                          int bytes) {
        Integer size = ELEMENT_SIZES.get(datatype);
        if (size != null) {
            if (elements > Long.MAX_VALUE / size || elements * size != bytes) {
                return Optional.of(label + " is " + datatype + " with " + elements + " elements (" + elements + " x "
                        + size + " bytes) but its binary data is " + bytes + " bytes");
            }
            return Optional.empty();
        }
        long found = 0;
        int at = offset;
        int end = offset + bytes;
        while (at < end) {
            if (end - at < 4) {
                return Optional.of(label + " has a truncated BYTES element length at byte " + (at - offset));
            }
            long length = Integer.toUnsignedLong(raw.getIntLE(at));
            if (length > end - at - 4) {
                return Optional.of(label + " has a BYTES element of " + length + " bytes that runs past its "
                        + bytes + " bytes of binary data");
            }
            at += 4 + (int) length;
            found++;
        }
        if (found != elements) {
            return Optional.of(label + " has shape of " + elements + " elements but its binary data holds " + found
                    + " BYTES elements");
        }
        return Optional.empty();
    }

    /** Elements of a possibly nested (row-major) data array. */
    private static long count(JsonArray array) {
        long n = 0;
        for (Object element : array) {
            n += element instanceof JsonArray nested ? count(nested) : 1;
        }
        return n;
    }
}
