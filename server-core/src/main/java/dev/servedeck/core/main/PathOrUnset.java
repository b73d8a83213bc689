package dev.servedeck.core.main;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/**
 * A file flag's value, where an empty one means "not given", as tensorflow_model_server reads every file flag
 * ("if non-empty, read ..."): scripts pass {@code --ssl_config_file=$SSL_CONFIG} with the variable unset.
 */
final class PathOrUnset implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        return value.isEmpty() ? null : Path.of(value);
    }
}
