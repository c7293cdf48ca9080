package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module layout ARCHITECTURE.md describes holds in the sources and the poms: modules by role,
 * each depending only on the roles below it, and no component reaching into a sibling component.
 * Read from the files, not from a build, so a violation names the file and line that introduced it.
 * {@link #everyRuleCanFail} plants one violation per rule in a copy and requires it to be named.
 */
class LayoutTest {
  static final Path ROOT = ComposeStackTest.ROOT;

  /** Each module and the inflight modules its main code may depend on (compile scope). */
  static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("api", Set.of());
    ALLOWED.put("config", Set.of("api"));
    ALLOWED.put("service", Set.of("api", "config"));
    for (String component : List.of("receiver", "processor", "connector", "exporter")) {
      ALLOWED.put(component, Set.of("api", "config"));
    }
    ALLOWED.put("extension", Set.of("api", "config"));
    ALLOWED.put("tools", Set.of("api", "config", "receiver", "processor", "connector", "exporter"));
    ALLOWED.put("app", Set.of("api", "config", "service", "receiver", "processor", "connector", "exporter", "extension", "tools"));
  }

  /** Root packages of code each module's main sources hold; an import of another module's package must be allowed above. */
  static final Map<String, List<String>> PACKAGES = Map.of(
      "api", List.of("dev.inflight.component", "dev.inflight.pdata", "dev.inflight.exporterhelper", "dev.inflight.otlp", "dev.inflight.recording"),
      "config", List.of("dev.inflight.config"),
      "service", List.of("dev.inflight.service"),
      "receiver", List.of("dev.inflight.receiver"),
      "processor", List.of("dev.inflight.processor"),
      "connector", List.of("dev.inflight.connector"),
      "exporter", List.of("dev.inflight.exporter", "dev.inflight.translator"),
      "extension", List.of("dev.inflight.extension"),
      "tools", List.of("dev.inflight.tools"),
      "app", List.of("dev.inflight.app"));

  /** The component roles: a package {@code dev.inflight.<role>.<type>} is one component. */
  static final Set<String> COMPONENT_ROLES = Set.of("receiver", "processor", "connector", "exporter", "extension");

  /** Packages under a component role that its components share (not API), not a component themselves. */
  static final Set<String> SHARED_UNDER_ROLE = Set.of("dev.inflight.extension.internal", "dev.inflight.processor.internal");

  /** A tag as a walker once wrote it; split so that this file does not break its own rule. */
  private static final String TAG_LITERAL = "5 <" + "< 3 | 2";

  @Test
  void theRootPomListsTheModulesByRole() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (m.find()) {
      modules.add(m.group(1));
    }
    List<String> expected = new ArrayList<>(ALLOWED.keySet());
    expected.addAll(List.of("tests", "bench"));
    assertThat(modules).containsExactlyElementsOf(expected);
  }

  @Test
  void pomsDependOnlyOnTheRolesBelow() {
    assertThat(pomProblems(ROOT)).isEmpty();
  }

  @Test
  void importsStayWithinTheAllowedModulesAndNoComponentImportsASibling() {
    assertThat(importProblems(ROOT)).isEmpty();
  }

  @Test
  void protobufTagsAreWrittenOnlyInTheWireCodec() {
    assertThat(sourceProblems(ROOT)).isEmpty();
  }

  @Test
  void theDocsLinkNothingOutsideTheRepo() {
    assertThat(docProblems(ROOT)).isEmpty();
  }

  @Test
  void everyRuleCanFail(@TempDir Path copy) throws IOException {
    for (String module : ALLOWED.keySet()) {
      Path pom = ROOT.resolve(module).resolve("pom.xml");
      Files.createDirectories(copy.resolve(module));
      Files.copy(pom, copy.resolve(module).resolve("pom.xml"));
    }
    // An exporter's pom that depends on the receiver module.
    Path exporterPom = copy.resolve("exporter/pom.xml");
    Files.writeString(exporterPom, Files.readString(exporterPom).replace("<dependencies>",
        "<dependencies>\n<dependency><groupId>dev.inflight</groupId><artifactId>inflight-receiver</artifactId></dependency>"));
    assertThat(pomProblems(copy)).containsExactly("exporter/pom.xml: depends on inflight-receiver (allowed: [api, config])");

    // One exporter importing another, and one importing a receiver.
    write(copy, "exporter/src/main/java/dev/inflight/exporter/a/A.java",
        "package dev.inflight.exporter.a;\nimport dev.inflight.exporter.b.B;\nimport dev.inflight.exporter.a.inner.Own;\nclass A {}\n");
    write(copy, "exporter/src/main/java/dev/inflight/exporter/c/C.java",
        "package dev.inflight.exporter.c;\n\nimport dev.inflight.receiver.otlp.OtlpJson;\nclass C {}\n");
    // api importing the service.
    write(copy, "api/src/main/java/dev/inflight/component/X.java",
        "package dev.inflight.component;\nimport static dev.inflight.service.Service.build;\nclass X {}\n");
    assertThat(importProblems(copy)).containsExactlyInAnyOrder(
        "exporter/src/main/java/dev/inflight/exporter/a/A.java:2: component dev.inflight.exporter.a imports sibling component dev.inflight.exporter.b.B",
        "exporter/src/main/java/dev/inflight/exporter/c/C.java:3: module exporter imports dev.inflight.receiver.otlp.OtlpJson of module receiver (allowed: [api, config])",
        "api/src/main/java/dev/inflight/component/X.java:2: module api imports dev.inflight.service.Service.build of module service (allowed: [])");

    // A tag literal outside the wire codec (test sources count too), and a second JSON library.
    write(copy, "receiver/src/test/java/dev/inflight/receiver/otlp/T.java",
        "package dev.inflight.receiver.otlp;\nclass T {\n  static final int NAME = " + TAG_LITERAL + ";\n}\n");
    write(copy, "app/src/main/java/dev/inflight/app/J.java",
        "package dev.inflight.app;\nimport com.google.gson.Gson;\nclass J {}\n");
    write(copy, "api/src/main/java/dev/inflight/otlp/wire/W.java",
        "package dev.inflight.otlp.wire;\nclass W {\n  static final int NAME = " + TAG_LITERAL + ";\n}\n");
    assertThat(sourceProblems(copy)).containsExactlyInAnyOrder(
        "receiver/src/test/java/dev/inflight/receiver/otlp/T.java:3: a protobuf tag literal outside dev.inflight.otlp.wire (use OtlpWire)",
        "app/src/main/java/dev/inflight/app/J.java:2: imports com.google.gson.Gson: Jackson is the one JSON library");

    // A doc linking to a web page; a link to inflight's own local endpoint is fine.
    write(copy, "docs/components/x.md", "# x\n\nAs [the contrib one](https://github.com/open-telemetry/x) does;"
        + " see [metrics](http://localhost:8888/metrics).\n");
    assertThat(docProblems(copy)).containsExactly(
        "docs/components/x.md:3: links outside the repo (https://github.com/open-telemetry/x): the docs stand alone; name the source in words");
  }

  /** Markdown links to anything but a local endpoint, in the README and every doc: the project's docs stand alone. */
  static List<String> docProblems(Path root) {
    List<String> problems = new ArrayList<>();
    Pattern link = Pattern.compile("\\]\\((https?://[^)\\s]+)\\)");
    Pattern local = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/].*)?");
    List<Path> files = new ArrayList<>();
    for (String top : List.of("README.md", "ARCHITECTURE.md", "BENCHMARKS.md")) {
      if (Files.isRegularFile(root.resolve(top))) {
        files.add(root.resolve(top));
      }
    }
    if (Files.isDirectory(root.resolve("docs"))) {
      try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
        s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Path file : files) {
      List<String> lines = List.of(read(file).split("\n", -1));
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = link.matcher(lines.get(i));
        while (m.find()) {
          if (!local.matcher(m.group(1)).matches()) {
            problems.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1)
                + ": links outside the repo (" + m.group(1) + "): the docs stand alone; name the source in words");
          }
        }
      }
    }
    return problems;
  }

  /** Tag literals (field number {@code << 3 |} wire type) outside the wire codec, and JSON libraries other than Jackson, in any source set. */
  static List<String> sourceProblems(Path root) {
    List<String> problems = new ArrayList<>();
    Pattern tag = Pattern.compile("\\b\\d+\\s*<<\\s*3\\s*\\|");
    Pattern otherJson = Pattern.compile("^import\\s+(?:static\\s+)?((?:com\\.google\\.gson|com\\.google\\.protobuf\\.util\\.JsonFormat)[\\w.]*)\\s*;");
    List<String> modules = new ArrayList<>(ALLOWED.keySet());
    modules.addAll(List.of("tests", "bench"));
    for (String module : modules) {
      for (Path file : javaFiles(root.resolve(module).resolve("src"))) {
        boolean wire = file.toString().replace('\\', '/').contains("/dev/inflight/otlp/wire/");
        List<String> lines = List.of(read(file).split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
          String where = root.relativize(file) + ":" + (i + 1) + ": ";
          if (!wire && tag.matcher(lines.get(i)).find()) {
            problems.add(where + "a protobuf tag literal outside dev.inflight.otlp.wire (use OtlpWire)");
          }
          Matcher json = otherJson.matcher(lines.get(i));
          if (json.find()) {
            problems.add(where + "imports " + json.group(1) + ": Jackson is the one JSON library");
          }
        }
      }
    }
    return problems;
  }

  /** The Java files below {@code dir}, in name order; none when it does not exist. */
  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path root, String file, String text) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  static List<String> pomProblems(Path root) {
    List<String> problems = new ArrayList<>();
    Pattern dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      String module = e.getKey();
      Path pom = root.resolve(module).resolve("pom.xml");
      String text = read(pom);
      Matcher m = dependency.matcher(text);
      while (m.find()) {
        String dep = m.group(1);
        Matcher artifact = Pattern.compile("<artifactId>inflight-([a-z]+)</artifactId>").matcher(dep);
        if (!artifact.find() || dep.contains("<scope>test</scope>")) {
          continue;
        }
        String target = artifact.group(1);
        if (!e.getValue().contains(target)) {
          problems.add(module + "/pom.xml: depends on inflight-" + target + " (allowed: " + new TreeSet<>(e.getValue()) + ")");
        }
      }
    }
    return problems;
  }

  static List<String> importProblems(Path root) {
    List<String> problems = new ArrayList<>();
    Pattern importLine = Pattern.compile("^import\\s+(?:static\\s+)?(dev\\.inflight\\.[\\w.]+)\\s*;");
    Pattern packageLine = Pattern.compile("^package\\s+([\\w.]+)\\s*;");
    for (String module : ALLOWED.keySet()) {
      for (Path file : javaFiles(root.resolve(module).resolve("src/main/java"))) {
        String pkg = null;
        List<String> lines = List.of(read(file).split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          Matcher pm = packageLine.matcher(line);
          if (pm.find()) {
            pkg = pm.group(1);
            continue;
          }
          Matcher im = importLine.matcher(line);
          if (!im.find()) {
            continue;
          }
          String imported = im.group(1);
          String where = root.relativize(file) + ":" + (i + 1) + ": ";
          String owner = owningModule(imported);
          if (owner == null) {
            problems.add(where + "imports " + imported + ", which no module's packages hold");
          } else if (!owner.equals(module) && !ALLOWED.get(module).contains(owner)) {
            problems.add(where + "module " + module + " imports " + imported + " of module " + owner
                + " (allowed: " + new TreeSet<>(ALLOWED.get(module)) + ")");
          }
          String from = component(pkg);
          String to = component(imported);
          if (from != null && to != null && !from.equals(to) && role(from).equals(role(to))) {
            problems.add(where + "component " + from + " imports sibling component " + imported);
          }
        }
      }
    }
    return problems;
  }

  private static String owningModule(String name) {
    for (Map.Entry<String, List<String>> e : PACKAGES.entrySet()) {
      for (String p : e.getValue()) {
        if (name.equals(p) || name.startsWith(p + ".")) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /** {@code dev.inflight.<role>.<type>} of a package or class name under a component role, else null. */
  private static String component(String name) {
    if (name == null) {
      return null;
    }
    String[] parts = name.split("\\.");
    if (parts.length < 4 || !COMPONENT_ROLES.contains(parts[2]) || Character.isUpperCase(parts[3].charAt(0))) {
      return null;
    }
    String c = String.join(".", parts[0], parts[1], parts[2], parts[3]);
    return SHARED_UNDER_ROLE.contains(c) ? null : c;
  }

  private static String role(String component) {
    return component.split("\\.")[2];
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
