package dev.servedeck.core.rest;

/**
 * IEEE 754 half precision (DT_HALF) and bfloat16 conversions. Java 17 has no Float.floatToFloat16, and
 * TensorFlow stores both 16-bit types as raw bits in {@code half_val} or {@code tensor_content}.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Rounds to the nearest half, ties to even, as TensorFlow's Eigen::half does. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fffffff;
        if (magnitude > 0x7f800000) {
            return (short) (sign | 0x7e00 | ((magnitude >>> 13) & 0x3ff));
        }
        if (magnitude >= 0x477ff000) {
            // 65520 and above round past the largest half (65504): infinity.
            return (short) (sign | 0x7c00);
        }
        if (magnitude >= 0x38800000) {
            // Normal half: rebias the exponent (127 -> 15) and round away the 13 low mantissa bits.
            int half = (magnitude - 0x38000000) >>> 13;
            int dropped = magnitude & 0x1fff;
            if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        if (magnitude <= 0x33000000) {
            // At most 2^-25: half way to the smallest subnormal or below, so it rounds to (even) zero.
            return (short) sign;
        }
        // Subnormal half: count units of 2^-24.
        int exponent = magnitude >>> 23;
        int mantissa = (magnitude & 0x7fffff) | 0x800000;
        int shift = 126 - exponent;
        int half = mantissa >>> shift;
        int remainder = mantissa & ((1 << shift) - 1);
        int tie = 1 << (shift - 1);
        if (remainder > tie || (remainder == tie && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds to the nearest bfloat16, ties to even; NaN stays NaN. */
    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
