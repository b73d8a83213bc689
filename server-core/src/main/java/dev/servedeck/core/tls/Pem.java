package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits PEM text (RFC 7468) into its blocks. Text around the blocks is ignored, as OpenSSL ignores it:
 * {@code openssl x509 -text} output and bundles with comments between certificates are common.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("^[A-Za-z-]+:.*$", Pattern.MULTILINE);

    private Pem() {
    }

    /**
     * @param what names the text in errors, e.g. {@code server_cert}
     * @throws ServingException INVALID_ARGUMENT when a block's body is not base64
     */
    static List<PemBlock> blocks(String text, String what) {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String body = matcher.group(2);
            boolean encrypted = body.contains("ENCRYPTED") && HEADER.matcher(body).find();
            String base64 = HEADER.matcher(body).replaceAll("").replaceAll("\\s", "");
            try {
                blocks.add(new PemBlock(matcher.group(1), encrypted, Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw ServingException.invalidArgument(what + ": the " + matcher.group(1)
                        + " block is not valid base64 (" + e.getMessage() + ")");
            }
        }
        return blocks;
    }
}
