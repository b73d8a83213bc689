package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void halfConversionsRoundToNearestEven() {
        assertThat(HalfFloats.floatToHalf(1f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToHalf(-2f)).isEqualTo((short) 0xc000);
        assertThat(HalfFloats.floatToHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToHalf(65520f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(HalfFloats.floatToHalf(0x1.8p-25f)).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.floatToHalf(0x1p-14f)).isEqualTo((short) 0x0400);
        // 1 + 2^-11 lies half way between 1 and the next half: ties to even (1).
        assertThat(HalfFloats.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToHalf(1f + 0x1.8p-11f)).isEqualTo((short) 0x3c01);
        assertThat(HalfFloats.floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(Float.NaN))).isNaN();
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = HalfFloats.halfToFloat(bits);
            if (!Float.isNaN(value)) {
                assertThat(HalfFloats.floatToHalf(value) & 0xffff).as("half bits %x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void bfloat16KeepsTheHighHalfOfAFloat() {
        assertThat(HalfFloats.floatToBfloat16(1.5f)).isEqualTo((short) 0x3fc0);
        assertThat(HalfFloats.bfloat16ToFloat(0x3fc0)).isEqualTo(1.5f);
        assertThat(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.NaN))).isNaN();
    }
}
