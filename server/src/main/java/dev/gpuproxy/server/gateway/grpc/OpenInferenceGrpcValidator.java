package dev.gpuproxy.server.gateway.grpc;

import com.google.protobuf.ByteString;
import dev.gpuproxy.server.gateway.grpc.v2.InferTensorContents;
import dev.gpuproxy.server.gateway.grpc.v2.ModelInferRequest;
import dev.gpuproxy.server.gateway.route.OpenInferenceValidator;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Checks a gRPC ModelInfer request before it costs a backend anything, as {@link OpenInferenceValidator} does for
 * HTTP: a model name, inputs each with a name, a known datatype and a non-negative shape, and data that fits the shape,
 * either typed {@code contents} (element count) or {@code raw_input_contents} (one entry per input; byte size for
 * fixed-size types, length-prefixed element count for BYTES).
 */
final class OpenInferenceGrpcValidator {

    private OpenInferenceGrpcValidator() {
    }

    static Optional<String> problem(ModelInferRequest request) {
        if (request.getModelName().isBlank()) {
            return Optional.of("model_name is required");
        }
        if (request.getInputsCount() == 0) {
            return Optional.of("The request needs at least one input");
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            return Optional.of("raw_input_contents has " + request.getRawInputContentsCount() + " entries but there are "
                    + request.getInputsCount() + " inputs; send one per input, in the order of inputs");
        }
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            if (input.getName().isBlank()) {
                return Optional.of("inputs[" + i + "] needs a name");
            }
            String label = "input '" + input.getName() + "'";
            String datatype = input.getDatatype();
            if (!OpenInferenceValidator.DATATYPES.contains(datatype)) {
                return Optional.of(label + " has unknown datatype " + datatype + "; expected one of BOOL, UINT8,"
                        + " UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES");
            }
            long elements = 1;
            try {
                for (long dimension : input.getShapeList()) {
                    if (dimension < 0) {
                        return Optional.of(label + " has an invalid shape " + input.getShapeList()
                                + ": dimensions must be non-negative");
                    }
                    elements = Math.multiplyExact(elements, dimension);
                }
            } catch (ArithmeticException e) {
                return Optional.of(label + " has a shape " + input.getShapeList() + " too large to hold");
            }
            if (raw) {
                if (input.hasContents()) {
                    return Optional.of(label + " has contents although the request uses raw_input_contents; send one"
                            + " of them");
                }
                ByteString bytes = request.getRawInputContents(i);
                Optional<String> problem = OpenInferenceValidator.binaryProblem(label, datatype, elements,
                        Buffer.buffer(bytes.toByteArray()), 0, bytes.size());
                if (problem.isPresent()) {
                    return problem;
                }
                continue;
            }
            long count = typedCount(datatype, input.getContents());
            if (count < 0) {
                return Optional.of(label + " is FP16, which travels only in raw_input_contents");
            }
            if (count != elements) {
                return Optional.of(label + " has shape " + input.getShapeList() + " (" + elements + " elements) but "
                        + count + " " + datatype + " contents");
            }
        }
        return Optional.empty();
    }

    /** Elements in the contents field that carries {@code datatype}; -1 for FP16, which has none. */
    private static long typedCount(String datatype, InferTensorContents contents) {
        return switch (datatype) {
            case "BOOL" -> contents.getBoolContentsCount();
            case "INT8", "INT16", "INT32" -> contents.getIntContentsCount();
            case "INT64" -> contents.getInt64ContentsCount();
            case "UINT8", "UINT16", "UINT32" -> contents.getUintContentsCount();
            case "UINT64" -> contents.getUint64ContentsCount();
            case "FP32" -> contents.getFp32ContentsCount();
            case "FP64" -> contents.getFp64ContentsCount();
            case "BYTES" -> contents.getBytesContentsCount();
            default -> -1;
        };
    }
}
