package dev.gpuproxy.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The records read the server's snake_case answers, ignore fields they do not know and never hand out null lists. */
class ModelShapesTest {

    /** Like the tools' mapper: exact decimals. Unknown fields are ignored by the records themselves. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void snakeCaseFieldsAndExactDecimalsAreRead() throws Exception {
        LedgerPage page = MAPPER.readValue("{\"data\":[{\"id\":7,\"kind\":\"grant\",\"amount\":1.10,"
                + "\"balance_after\":25.000000,\"reference\":\"trial\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"added_later\":{\"x\":1}}],\"next_before\":7,\"unknown\":true}", LedgerPage.class);
        LedgerEntry entry = page.data().get(0);
        assertThat(entry.id()).isEqualTo("7");
        assertThat(entry.amount()).isEqualTo(new BigDecimal("1.10"));
        assertThat(entry.amount().toString()).as("scale kept, as the server wrote it").isEqualTo("1.10");
        assertThat(entry.balanceAfter().toString()).isEqualTo("25.000000");
        assertThat(page.nextBefore()).isEqualTo("7");
    }

    @Test
    void listsTheServerLeftOutReadAsEmpty() throws Exception {
        Reservation reservation = MAPPER.readValue("{\"reservation_id\":\"3\",\"state\":\"active\"}",
                Reservation.class);
        assertThat(reservation.reserved()).isEmpty();
        assertThat(reservation.errors()).isEmpty();
        assertThat(MAPPER.readValue("{}", Backend.class).keys()).isEmpty();
    }

    @Test
    void fieldNamesThatAreNotPlainSnakeCaseAreMapped() throws Exception {
        AdminStats stats = MAPPER.readValue("{\"usage_24h\":{\"requests\":5,\"tokens_in\":10},"
                + "\"instances\":{\"running\":2,\"running_by_provider\":{\"vastai\":1,\"ionet\":1}}}",
                AdminStats.class);
        assertThat(stats.usage24h().requests()).isEqualTo(5);
        assertThat(stats.usage24h().tokensIn()).isEqualTo(10);
        assertThat(stats.instances().runningByProvider()).containsKeys("vastai", "ionet");
        assertThat(stats.revenue()).isEmpty();
    }

    @Test
    void usageFiguresKeepTheServersOrder() throws Exception {
        UserUsage usage = MAPPER.readValue("{\"requests\":3,\"credits_micros\":1500000,\"gpu_seconds\":1.5}",
                UserUsage.class);
        assertThat(usage.figures().keySet()).containsExactly("requests", "credits_micros", "gpu_seconds");
    }

    @Test
    void aStreamedChunkCarriesDeltasUsageOrAnError() throws Exception {
        ChatChunk delta = MAPPER.readValue("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
                + "\"finish_reason\":null}]}", ChatChunk.class);
        assertThat(delta.choices().get(0).delta().content()).isEqualTo("Hi");
        ChatChunk failed = MAPPER.readValue(
                "{\"error\":{\"message\":\"out of credits\",\"code\":\"credit_exhausted\"}}", ChatChunk.class);
        assertThat(failed.error().code()).isEqualTo("credit_exhausted");
        assertThat(failed.choices()).isEmpty();
    }
}
