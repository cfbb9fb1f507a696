package dev.gpuproxy.server.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an Open Inference Protocol v2 infer request before it costs a backend anything: inputs present, each with a
 * name, a known datatype and a shape whose element count equals the (flattened) data. Returns the reason, if any,
 * in words fit for OIP's {@code {"error": "..."}}.
 */
final class OpenInferenceValidator {

    static final Set<String> DATATYPES = Set.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES");

    private OpenInferenceValidator() {
    }

    static Optional<String> problem(Buffer raw) {
        JsonObject request;
        try {
            request = JsonBodies.object(raw);
        } catch (JsonBodies.NotAnObject e) {
            return Optional.of(e.getMessage());
        }
        if (request == null) {
            return Optional.of("The request body is empty; an infer request needs \"inputs\"");
        }
        if (!(request.getValue("inputs") instanceof JsonArray inputs) || inputs.isEmpty()) {
            return Optional.of("The request needs a non-empty \"inputs\" array");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.getValue(i) instanceof JsonObject input)) {
                return Optional.of("inputs[" + i + "] is not an object");
            }
            Optional<String> problem = tensorProblem(input, "inputs[" + i + "]");
            if (problem.isPresent()) {
                return problem;
            }
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
        long expected = 1;
        for (Object dimension : shape) {
            if (!(dimension instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
                return Optional.of(label + " has an invalid shape " + shape.encode()
                        + ": dimensions must be non-negative integers");
            }
            expected = Math.multiplyExact(expected, n.longValue());
        }
        Object data = input.getValue("data");
        if (data == null) {
            JsonObject parameters = input.getJsonObject("parameters");
            if (parameters != null && parameters.containsKey("binary_data_size")) {
                return Optional.empty(); // binary tensor extension: the data follows the JSON
            }
            return Optional.of(label + " needs \"data\"");
        }
        long count = data instanceof JsonArray array ? count(array) : 1;
        if (count != expected) {
            return Optional.of(label + " has shape " + shape.encode() + " (" + expected + " elements) but "
                    + count + " data elements");
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
