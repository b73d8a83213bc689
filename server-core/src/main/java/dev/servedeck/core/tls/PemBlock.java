package dev.servedeck.core.tls;

/**
 * One {@code -----BEGIN label----- ... -----END label-----} block of a PEM text.
 *
 * @param label e.g. {@code CERTIFICATE}, {@code PRIVATE KEY}, {@code RSA PRIVATE KEY}
 * @param encrypted whether OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} header marks it
 * @param der the decoded base64 body
 */
record PemBlock(String label, boolean encrypted, byte[] der) {
}
