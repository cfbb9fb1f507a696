package dev.gpuproxy.server.common.number;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BoundedDecimalTest {

    @Test
    void ordinaryMoneyAndCryptoAmountsFit() {
        assertThat(BoundedDecimal.problem(new BigDecimal("12.50"))).isEmpty();
        assertThat(BoundedDecimal.problem(new BigDecimal("0.000000000000000001"))).isEmpty();
        assertThat(BoundedDecimal.problem(new BigDecimal("1e29"))).isEmpty();
        assertThat(BoundedDecimal.problem(new BigDecimal("-999999999999999999999999999999"))).isEmpty();
    }

    @Test
    void hugeAndTinyExponentsAreRefusedWithoutExpandingThem() {
        assertThat(BoundedDecimal.problem(new BigDecimal("1e300000000"))).get().asString()
                .contains("at most 30 digits").contains("1E+300000000");
        assertThat(BoundedDecimal.problem(new BigDecimal("1E+2147483647"))).isPresent();
        assertThat(BoundedDecimal.problem(new BigDecimal("1e-2147483647"))).isPresent();
        assertThat(BoundedDecimal.problem(new BigDecimal("0E+2147483647"))).isPresent();
        assertThat(BoundedDecimal.problem(new BigDecimal("1e30"))).isPresent();
    }

    @Test
    void textIsRefusedBeforeParsingWhenTooLong() {
        assertThatThrownBy(() -> BoundedDecimal.parse("max_price", "1".repeat(10_000)))
                .isInstanceOf(DecimalOutOfRange.class).hasMessageContaining("at most 100 characters");
        assertThatThrownBy(() -> BoundedDecimal.parse("max_price", "1e300000000"))
                .isInstanceOf(DecimalOutOfRange.class).hasMessageStartingWith("max_price must have at most");
        assertThat(BoundedDecimal.parse("max_price", "2.5")).isEqualByComparingTo("2.5");
    }
}
