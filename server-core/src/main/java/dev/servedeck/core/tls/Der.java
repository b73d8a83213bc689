package dev.servedeck.core.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The few DER (ASN.1) pieces it takes to wrap OpenSSL's traditional key formats (PKCS#1, SEC1) into the PKCS#8
 * structure the JDK's {@code KeyFactory} reads: tag-length-value writing, and reading one element at a time.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0] EXPLICIT}, where SEC1 keeps the curve. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            content.writeBytes(element);
        }
        return element(SEQUENCE, content.toByteArray());
    }

    /** One element read from DER: its tag, and where its content sits in the source. */
    record Element(int tag, byte[] source, int contentStart, int contentEnd) {

        byte[] content() {
            return Arrays.copyOfRange(source, contentStart, contentEnd);
        }

        /** The elements directly inside this one (a SEQUENCE, or an explicit tag). */
        Reader children() {
            return new Reader(source, contentStart, contentEnd);
        }

        /** The whole element, tag and length included. */
        byte[] encoded(int elementStart) {
            return Arrays.copyOfRange(source, elementStart, contentEnd);
        }
    }

    /** Reads consecutive elements from a region of DER bytes. */
    static final class Reader {

        private final byte[] source;
        private int position;
        private final int end;

        Reader(byte[] source) {
            this(source, 0, source.length);
        }

        private Reader(byte[] source, int start, int end) {
            this.source = source;
            this.position = start;
            this.end = end;
        }

        boolean hasNext() {
            return position < end;
        }

        /** @throws IllegalArgumentException on truncated or malformed DER */
        Element next() {
            if (position + 2 > end) {
                throw new IllegalArgumentException("truncated DER");
            }
            int tag = source[position++] & 0xFF;
            int length = source[position++] & 0xFF;
            if (length >= 0x80) {
                int bytes = length & 0x7F;
                if (bytes == 0 || bytes > 4 || position + bytes > end) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (source[position++] & 0xFF);
                }
            }
            if (length < 0 || position + length > end) {
                throw new IllegalArgumentException("truncated DER");
            }
            Element element = new Element(tag, source, position, position + length);
            position += length;
            return element;
        }
    }
}
