package dev.inflight.app;

import java.net.URI;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --url} and {@code --no-color}, shared by the commands that read the query extension. */
final class QueryOptions {
  static final String DEFAULT_URL = "http://localhost:5050";

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = DEFAULT_URL,
      converter = BaseUrlConverter.class,
      description = "Base URL of inflight's query extension. Default: ${DEFAULT-VALUE}.")
  URI url;

  @Option(
      names = "--no-color",
      description = "No colour. Colour is on only when stdout is a terminal and NO_COLOR is not set.")
  boolean noColor;

  static final class BaseUrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        return QueryClient.baseUri(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
