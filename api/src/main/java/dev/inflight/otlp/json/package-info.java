/**
 * OTLP/JSON, with Jackson: the streaming transcoder the receivers use to turn OTLP/JSON requests
 * into protobuf bytes in one pass, its tree-based fallback, and the printer behind the file
 * exporter's {@code format: json}, {@code inflight convert} and the receivers' error bodies. Ids
 * are hex and 64-bit integers decimal strings, as the OTLP/JSON specification says.
 */
@NullMarked
package dev.inflight.otlp.json;

import org.jspecify.annotations.NullMarked;
