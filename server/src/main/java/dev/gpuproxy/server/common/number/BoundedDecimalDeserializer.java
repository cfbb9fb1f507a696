package dev.gpuproxy.server.common.number;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Jackson's own {@link BigDecimal} reading, followed by {@link BoundedDecimal}'s check, so that no decimal of any
 * request body reaches the code behind it unbounded.
 */
public class BoundedDecimalDeserializer extends StdScalarDeserializer<BigDecimal> {

    public BoundedDecimalDeserializer() {
        super(BigDecimal.class);
    }

    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        BigDecimal value = NumberDeserializers.BigDecimalDeserializer.instance.deserialize(parser, context);
        if (value == null) {
            return null;
        }
        Optional<String> problem = BoundedDecimal.problem(value);
        if (problem.isPresent()) {
            throw new OutOfRange(parser, problem.get(), value);
        }
        return value;
    }

    /** Thrown inside Jackson so it carries the field path; {@code ProblemMappers} answers it as 400. */
    public static final class OutOfRange extends InvalidFormatException {

        OutOfRange(JsonParser parser, String problem, BigDecimal value) {
            super(parser, problem, BoundedDecimal.shown(value), BigDecimal.class);
        }
    }
}
