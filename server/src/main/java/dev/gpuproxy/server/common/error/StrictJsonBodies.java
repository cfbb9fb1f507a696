package dev.gpuproxy.server.common.error;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A REST body is one JSON value and nothing after it. Jackson stops reading after the first value by default, so
 * {@code {"amount": 5} {"amount": 500}} or {@code {...}garbage} would be accepted as the first object; a client whose
 * body was cut or concatenated gets a 400 {@code malformed_json} instead of having half of it acted on.
 */
@Singleton
public class StrictJsonBodies implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
