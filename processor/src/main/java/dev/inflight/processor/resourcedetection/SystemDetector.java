package dev.inflight.processor.resourcedetection;

import dev.inflight.processor.resourcedetection.ResourceDetectionProcessorConfig.SystemConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code system}: the host's name, id and architecture and the OS, with the Collector's values
 * ({@code os.type} and {@code host.arch} as Go names them: linux, darwin, windows; amd64, arm64).
 */
final class SystemDetector {
  /** Where a host name comes from; null when the source gives none. */
  interface Hostnames {
    @Nullable String lookup(String source);
  }

  /** The machine's view: host names by source, system properties, files. */
  record Host(Hostnames hostnames, Function<String, @Nullable String> property, Function<Path, @Nullable String> file) {
    static Host real() {
      return new Host(SystemDetector::hostname, System::getProperty, SystemDetector::read);
    }
  }

  private SystemDetector() {}

  /**
   * @throws IllegalStateException when host.name is enabled and no source gives one (then the
   *     detector adds nothing)
   */
  static Map<String, String> detect(SystemConfig config, Host host) {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.enabled("host.name")) {
      String name = null;
      for (String source : config.hostnameSources()) {
        name = host.hostnames().lookup(source);
        if (name != null && !name.isEmpty()) {
          break;
        }
      }
      if (name == null || name.isEmpty()) {
        throw new IllegalStateException(
            "no host name from hostname_sources " + config.hostnameSources());
      }
      out.put("host.name", name);
    }
    if (config.enabled("host.id")) {
      for (String f : List.of("/etc/machine-id", "/var/lib/dbus/machine-id")) {
        String id = host.file().apply(Path.of(f));
        if (id != null && !id.isBlank()) {
          out.put("host.id", id.strip());
          break;
        }
      }
    }
    String osName = String.valueOf(host.property().apply("os.name"));
    if (config.enabled("host.arch")) {
      out.put("host.arch", goArch(String.valueOf(host.property().apply("os.arch"))));
    }
    if (config.enabled("os.description")) {
      out.put("os.description", osName + " " + host.property().apply("os.version"));
    }
    if (config.enabled("os.type")) {
      out.put("os.type", goOs(osName));
    }
    return out;
  }

  /** Go's GOOS for Java's {@code os.name}. */
  static String goOs(String osName) {
    String n = osName.toLowerCase(Locale.ROOT);
    if (n.startsWith("windows")) {
      return "windows";
    }
    if (n.startsWith("mac") || n.startsWith("darwin")) {
      return "darwin";
    }
    if (n.contains("bsd") || n.startsWith("linux") || n.startsWith("aix") || n.startsWith("solaris")) {
      return n.split("\\s")[0].replace("sunos", "solaris");
    }
    return n.replace(' ', '_');
  }

  /** Go's GOARCH for Java's {@code os.arch}. */
  static String goArch(String arch) {
    return switch (arch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "arm" -> "arm";
      default -> arch;
    };
  }

  private static @Nullable String hostname(String source) {
    try {
      InetAddress local = InetAddress.getLocalHost();
      return switch (source) {
        case "os" -> local.getHostName();
        // The canonical name is the fully qualified one DNS gives; an address back means none.
        case "dns", "cname" -> named(local.getCanonicalHostName());
        case "lookup" -> named(InetAddress.getByAddress(local.getAddress()).getCanonicalHostName());
        default -> null;
      };
    } catch (IOException e) {
      return null;
    }
  }

  /** Null for an address literal (what the JDK returns when it finds no name). */
  private static @Nullable String named(String name) {
    boolean ipv4 = name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    return name.isEmpty() || ipv4 || name.contains(":") ? null : name;
  }

  private static @Nullable String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
