package dev.gpuproxy.server.common.number;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.math.BigDecimal;

/** Makes the application's ObjectMapper (every REST body) read decimals through {@link BoundedDecimalDeserializer}. */
@Singleton
public class DecimalBoundsCustomizer implements ObjectMapperCustomizer {

    /** The module, also for mappers built by hand that read outside input. */
    public static SimpleModule module() {
        return new SimpleModule("bounded-decimals").addDeserializer(BigDecimal.class, new BoundedDecimalDeserializer());
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(module());
    }
}
