package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compose stack in docker/ hangs together, without Docker: docker/compose.yaml (inflight,
 * Prometheus, Grafana, demo) and docker/compose.dash0.yaml are parsed and cross-checked against the
 * files they name — build contexts, Dockerfiles, bind mounts, inflight's mounted config (its ports are
 * inflight's defaults, published and exposed; it has a logs pipeline fed by its OTLP receiver),
 * Prometheus' scrape targets, Grafana's provisioning and every dashboard (each panel's queries and
 * datasource uid), the demo (it sends spans and logs). Images are pinned.
 *
 * <p>{@link #everyCheckCanFail} breaks a copy of the stack in one place per case and requires the
 * checks to name the problem, so none of them passes vacuously.
 */
class ComposeStackTest {
  static final Path ROOT = Path.of(System.getProperty("inflight.root", "..")).toAbsolutePath().normalize();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** The uid the provisioned Prometheus datasource has and every dashboard must use. */
  static final String DATASOURCE_UID = "prometheus";

  /** inflight's default ports (the README lists them), by the component that listens on each. */
  static final Map<String, Integer> DEFAULT_PORTS = Map.of(
      "otlp grpc", 4317, "otlp http", 4318, "telemetry", 8888, "prometheus", 8889, "health_check", 13133, "query", 5050);

  @Test
  void composeYamlHangsTogether() {
    assertThat(StackChecks.compose(ROOT, "compose.yaml")).isEmpty();
  }

  @Test
  void composeDash0YamlHangsTogether() {
    assertThat(StackChecks.compose(ROOT, "compose.dash0.yaml")).isEmpty();
  }

  @Test
  void everyDashboardHasQueriesOnTheProvisionedDatasource() {
    List<String> problems = new ArrayList<>();
    List<Path> dashboards = dashboardFiles(ROOT.resolve("docker/grafana/dashboards"));
    assertThat(dashboards).isNotEmpty();
    for (Path d : dashboards) {
      problems.addAll(StackChecks.dashboard(ROOT.resolve("docker"), d, Set.of(DATASOURCE_UID)));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theInflightImageIsHealthCheckedUnprivilegedAndExposesEveryDefaultPort() {
    assertThat(StackChecks.inflightDockerfile(ROOT.resolve("docker"), ROOT.resolve("docker/Dockerfile"))).isEmpty();
  }

  @Test
  void theFullStackListensOnEveryDefaultPort() {
    // compose.yaml's inflight listens on all of inflight's default ports, the prometheus exporter's included.
    StackChecks c = new StackChecks(ROOT.resolve("docker"));
    c.checkCompose(ROOT.resolve("docker/compose.yaml"));
    assertThat(c.inflightPorts()).containsExactlyInAnyOrderEntriesOf(DEFAULT_PORTS);
    assertThat(c.problems).isEmpty();
  }

  @Test
  void theDashboardHasTheSeedPanels() {
    List<Expr> exprs = dashboardExprs(ROOT.resolve("docker/grafana/dashboards/inflight-workers.json"));
    assertThat(exprs).extracting(Expr::expr).anyMatch(e -> e.contains("workers_active{"))
        .anyMatch(e -> e.contains("max_over_time(workers_active_max{"))
        .anyMatch(e -> e.contains("rate(workers_busy_time_seconds_total{"))
        .anyMatch(e -> e.contains("workers_utilization_ratio{"))
        .anyMatch(e -> e.contains("rate(workers_spans_total{"))
        .anyMatch(e -> e.contains("workers_spans_total{status=\"error\""))
        .anyMatch(e -> e.startsWith("histogram_quantile(0.5, sum by (le, worker_type) (rate(workers_duration_seconds_bucket{"))
        .anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (le, worker_type) (rate(workers_duration_seconds_bucket{"))
        .anyMatch(e -> e.startsWith("histogram_quantile(0.99, sum by (le, worker_type) (rate(workers_duration_seconds_bucket{"))
        .anyMatch(e -> e.contains("workers_late_spans_total{"))
        .anyMatch(e -> e.contains("otelcol_receiver_accepted_spans_total"))
        .anyMatch(e -> e.contains("otelcol_receiver_refused_spans_total"))
        .anyMatch(e -> e.contains("otelcol_exporter_queue_size"))
        .anyMatch(e -> e.contains("otelcol_process_cpu_seconds_total"))
        .anyMatch(e -> e.contains("otelcol_process_memory_rss_bytes"));
    JsonNode vars = readJson(ROOT.resolve("docker/grafana/dashboards/inflight-workers.json")).path("templating").path("list");
    for (String name : List.of("worker_type", "service_name")) {
      JsonNode v = null;
      for (JsonNode candidate : vars) {
        if (name.equals(candidate.path("name").asText())) {
          v = candidate;
        }
      }
      assertThat(v).as("template variable %s", name).isNotNull();
      assertThat(v.path("multi").asBoolean()).as("%s multi", name).isTrue();
      assertThat(v.path("includeAll").asBoolean()).as("%s includeAll", name).isTrue();
      assertThat(variableQuery(v)).as("%s query", name).startsWith("label_values(").contains(name);
    }
  }

  // --- every check can fail --------------------------------------------------------------------

  /** One way to break the stack: in {@code file} (relative to the repository root), replace {@code from} by {@code to}. */
  record Breakage(String file, String from, String to, String expectedProblem, boolean everywhere) {
    Breakage(String file, String from, String to, String expectedProblem) {
      this(file, from, to, expectedProblem, false);
    }

    @Override
    public String toString() {
      return file + ": " + (from.length() > 40 ? from.substring(0, 40) + "…" : from) + " → " + expectedProblem;
    }
  }

  static Stream<Breakage> breakages() {
    return Stream.of(
        new Breakage("docker/compose.yaml", "dockerfile: docker/Dockerfile", "dockerfile: docker/Dockerfile.gone", "Dockerfile.gone does not exist"),
        new Breakage("docker/compose.yaml", "context: ./demo", "context: ./demo-gone", "build context ./demo-gone"),
        new Breakage("docker/compose.yaml", "./prometheus/prometheus.yml:", "./prometheus/prom.yml:", "bind mount source ./prometheus/prom.yml"),
        new Breakage("docker/compose.yaml", "image: prom/prometheus:v3.5.0", "image: prom/prometheus:latest", "not pinned"),
        new Breakage("docker/compose.yaml", "image: grafana/grafana:11.6.0", "image: grafana/grafana", "not pinned"),
        new Breakage("docker/compose.yaml", "\"8889:8889\"", "\"8890:8889\"", "published as 8890"),
        new Breakage("docker/compose.yaml", "- \"13133:13133\"", "", "13133 (health_check) is not published"),
        new Breakage("docker/compose.yaml", "- prometheus-data:/prometheus", "- prometheus-store:/prometheus", "named volume prometheus-store"),
        new Breakage("docker/compose.yaml", "--web.enable-otlp-receiver", "--web.enable-lifecycle", "--web.enable-otlp-receiver"),
        new Breakage("docker/compose.yaml", "OTEL_EXPORTER_OTLP_ENDPOINT: http://inflight:4318", "OTEL_EXPORTER_OTLP_ENDPOINT: http://inflight:4317", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        new Breakage("docker/compose.yaml", "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: /etc/grafana/dashboards/inflight-workers.json", "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: /etc/grafana/dashboards/gone.json", "gone.json"),
        new Breakage("docker/compose.dash0.yaml", "DASH0_AUTH_TOKEN: ${DASH0_AUTH_TOKEN", "DASH0_TOKEN: ${DASH0_AUTH_TOKEN", "${env:DASH0_AUTH_TOKEN}"),
        new Breakage("docker/compose.dash0.yaml", "./inflight/dash0.yaml:", "./inflight/dash1.yaml:", "bind mount source ./inflight/dash1.yaml"),
        new Breakage("otel-collector.yaml", "endpoint: 0.0.0.0:8889", "endpoint: 0.0.0.0:9999", "not inflight's default 8889"),
        new Breakage("otel-collector.yaml", "endpoint: 0.0.0.0:4318", "endpoint: 127.0.0.1:4318", "other containers"),
        new Breakage("otel-collector.yaml", "exporters: [debug, prometheus]", "exporters: [debug]", "publishes 8889, on which its config does not listen"),
        new Breakage("docker/prometheus/prometheus.yml", "\"inflight:8889\"", "\"inflight:8899\"", "inflight-workers"),
        new Breakage("docker/prometheus/prometheus.yml", "job_name: inflight-self", "job_name: inflight", "inflight-self"),
        new Breakage("docker/grafana/provisioning/datasources/prometheus.yaml", "uid: prometheus", "uid: prom", "datasource uid prometheus"),
        new Breakage("docker/grafana/provisioning/datasources/prometheus.yaml", "url: http://prometheus:9090", "url: http://prometheus:9091", "9091"),
        new Breakage("docker/grafana/provisioning/dashboards/dashboards.yaml", "path: /etc/grafana/dashboards", "path: /var/lib/grafana/dashboards", "/var/lib/grafana/dashboards"),
        new Breakage("docker/grafana/dashboards/inflight-workers.json", "\"expr\": \"otelcol_process_memory_rss_bytes\"", "\"expr\": \"\"", "no expr"),
        new Breakage("docker/grafana/dashboards/inflight-workers.json", "\"schemaVersion\": 39,", "\"schemaVersion\": 39", "does not parse"),
        new Breakage("docker/grafana/dashboards/inflight-workers.json", "\"expr\": \"otelcol_process_memory_rss_bytes\"", "\"expr\": \"otelcol_process_memory_rss_bytes{job=~\\\"$job\\\"}\"", "$job"),
        new Breakage("docker/grafana/dashboards/inflight-workers.json", "\"uid\": \"prometheus\"", "\"uid\": \"other\"", "datasource uid other", true),
        new Breakage("docker/grafana/dashboards/inflight-workers.json", "\"targets\": [", "\"targetz\": [", "no targets", true),
        new Breakage("docker/Dockerfile", "HEALTHCHECK --interval", "# HEALTHCHECK --interval", "no HEALTHCHECK"),
        new Breakage("docker/Dockerfile", "USER 10001:10001", "USER root", "runs as root"),
        new Breakage("docker/Dockerfile", "EXPOSE 4317 4318 5050 8888 8889 13133", "EXPOSE 4317 4318 5050 8888 13133", "does not EXPOSE 8889"),
        new Breakage("docker/Dockerfile", "FROM eclipse-temurin:17-jre", "FROM eclipse-temurin", "not pinned"),
        new Breakage("docker/Dockerfile", "ENTRYPOINT [\"java\"", "ENTRYPOINT java #[\"java\"", "exec form"),
        new Breakage("docker/demo/Dockerfile", "USER node", "USER root", "runs as root"),
        new Breakage("docker/demo/package.json", "\"@opentelemetry/sdk-trace-base\": \"2.12.1\"", "\"@opentelemetry/sdk-trace-base\": \"2.12.0\"", "tests/node"),
        new Breakage("otel-collector.yaml", "    logs:\n      receivers: [otlp]", "    traces/logs:\n      receivers: [otlp]", "no logs pipeline"),
        new Breakage("docker/inflight/dash0.yaml", "    logs:\n      receivers: [otlp]", "    logs:\n      receivers: []", "no logs pipeline"),
        new Breakage("docker/demo/package.json", "\"@opentelemetry/exporter-logs-otlp-proto\": \"0.223.1\",", "", "sends no logs"),
        new Breakage("docker/demo/demo.mjs", "from '@opentelemetry/exporter-logs-otlp-proto'", "from './no-logs.mjs'", "sends no logs"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void everyCheckCanFail(Breakage b, @TempDir Path copy) throws IOException {
    copyStack(ROOT, copy);
    Path file = copy.resolve(b.file());
    String text = Files.readString(file);
    int n = occurrences(text, b.from());
    assertThat(b.everywhere() ? n > 0 : n == 1)
        .as("`%s` occurs %s in %s, %s times (update this case if the file changed)", b.from(), b.everywhere() ? "at all" : "once",
            b.file(), n)
        .isTrue();
    Files.writeString(file, text.replace(b.from(), b.to()));

    List<String> problems = StackChecks.all(copy);
    assertThat(problems).as("problems after breaking %s", b.file()).anySatisfy(p -> assertThat(p).contains(b.expectedProblem()));
    // The unbroken copy had none: the problem is the breakage's.
    Files.writeString(file, text);
    assertThat(StackChecks.all(copy)).isEmpty();
  }

  private static int occurrences(String text, String s) {
    int n = 0;
    for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
      n++;
    }
    return n;
  }

  /** docker/ (without node_modules), the root files the Dockerfile copies and tests/node/package.json. */
  private static void copyStack(Path root, Path to) throws IOException {
    Path docker = root.resolve("docker");
    try (Stream<Path> files = Files.walk(docker)) {
      for (Path p : files.filter(p -> !p.toString().contains("node_modules")).toList()) {
        Path target = to.resolve(root.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.copy(root.resolve("otel-collector.yaml"), to.resolve("otel-collector.yaml"));
    Files.createDirectories(to.resolve("tests/node"));
    Files.copy(root.resolve("tests/node/package.json"), to.resolve("tests/node/package.json"));
  }

  // --- what DashboardQueriesIT shares ------------------------------------------------------------

  /** One query of a dashboard panel. */
  record Expr(String panel, String refId, String expr) {}

  static List<Path> dashboardFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel of the dashboard, those inside (collapsed) rows included; rows themselves are not panels. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if ("row".equals(p.path("type").asText())) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /** The exprs of every target of every panel of the dashboard in {@code file}. */
  static List<Expr> dashboardExprs(Path file) {
    List<Expr> exprs = new ArrayList<>();
    for (JsonNode panel : panels(readJson(file))) {
      for (JsonNode t : panel.path("targets")) {
        exprs.add(new Expr(panel.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
      }
    }
    return exprs;
  }

  /** A query variable's PromQL-ish query: {@code query} as a string or as {@code {query: ...}}, else {@code definition}. */
  static String variableQuery(JsonNode variable) {
    JsonNode q = variable.path("query");
    if (q.isTextual() && !q.asText().isBlank()) {
      return q.asText();
    }
    if (q.path("query").isTextual() && !q.path("query").asText().isBlank()) {
      return q.path("query").asText();
    }
    return variable.path("definition").asText();
  }

  /** Grafana's own variables that a Prometheus query may use. */
  static final Set<String> BUILTIN_VARIABLES =
      Set.of("__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__dashboard");

  /** {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}. */
  static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

  static Set<String> variablesIn(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(expr);
    while (m.find()) {
      names.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return names;
  }

  /** {@code expr} with every variable replaced by its value in {@code values}; a variable without one is left as it is. */
  static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(name, m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + " does not parse as JSON: " + e.getMessage(), e);
    }
  }

  // --- the checks --------------------------------------------------------------------------------

  /**
   * The checks, each adding a line per problem (file: what is wrong) instead of stopping at the
   * first, so a failure lists everything. Paths in compose files are relative to docker/.
   */
  static final class StackChecks {
    final Path docker;
    final List<String> problems = new ArrayList<>();

    StackChecks(Path docker) {
      this.docker = docker;
    }

    /** Both compose files with everything they name (Grafana's dashboards included), and docker/Dockerfile. */
    static List<String> all(Path root) {
      Set<String> problems = new LinkedHashSet<>();
      problems.addAll(compose(root, "compose.yaml"));
      problems.addAll(compose(root, "compose.dash0.yaml"));
      problems.addAll(inflightDockerfile(root.resolve("docker"), root.resolve("docker/Dockerfile")));
      return List.copyOf(problems);
    }

    static List<String> compose(Path root, String name) {
      StackChecks c = new StackChecks(root.resolve("docker"));
      c.checkCompose(root.resolve("docker").resolve(name));
      return List.copyOf(new LinkedHashSet<>(c.problems));
    }

    static List<String> dashboard(Path docker, Path file, Set<String> datasourceUids) {
      StackChecks c = new StackChecks(docker);
      c.checkDashboard(file, datasourceUids);
      return c.problems;
    }

    static List<String> inflightDockerfile(Path docker, Path dockerfile) {
      StackChecks c = new StackChecks(docker);
      Dockerfile d = c.dockerfile(dockerfile);
      if (d != null) {
        for (Map.Entry<String, Integer> e : new TreeMap<>(DEFAULT_PORTS).entrySet()) {
          if (!d.exposed.contains(e.getValue())) {
            c.problem(dockerfile, "does not EXPOSE " + e.getValue() + " (" + e.getKey() + ", one of inflight's default ports)");
          }
        }
        if (d.healthcheck == null) {
          c.problem(dockerfile, "has no HEALTHCHECK");
        } else if (!d.healthcheck.contains(Integer.toString(DEFAULT_PORTS.get("health_check")))) {
          c.problem(dockerfile, "HEALTHCHECK does not ask health_check's port " + DEFAULT_PORTS.get("health_check") + ": " + d.healthcheck);
        }
      }
      return c.problems;
    }

    void problem(Path file, String what) {
      problems.add(docker.relativize(file) + ": " + what);
    }

    JsonNode yaml(Path file) {
      try {
        JsonNode n = YAML.readTree(file.toFile());
        if (n == null || !n.isObject()) {
          problem(file, "is not a YAML mapping");
          return YAML.createObjectNode();
        }
        return n;
      } catch (IOException e) {
        problem(file, "does not parse as YAML: " + e.getMessage());
        return YAML.createObjectNode();
      }
    }

    // --- compose ---

    Path composeFile;
    JsonNode services;

    void checkCompose(Path file) {
      composeFile = file;
      JsonNode compose = yaml(file);
      if (compose.has("version")) {
        problem(file, "has the obsolete top-level `version` key (the Compose specification has none)");
      }
      services = compose.path("services");
      if (!services.isObject() || services.isEmpty()) {
        problem(file, "has no services");
        return;
      }
      Set<String> namedVolumes = new TreeSet<>();
      compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);

      for (Map.Entry<String, JsonNode> e : services.properties()) {
        String name = e.getKey();
        JsonNode service = e.getValue();
        JsonNode build = service.path("build");
        if (!build.isMissingNode()) {
          checkBuild(name, build);
        } else if (!service.path("image").isTextual()) {
          problem(file, "service " + name + " has neither build nor image");
        }
        if (service.path("image").isTextual()) {
          String why = unpinned(service.path("image").asText());
          if (why != null) {
            problem(file, "service " + name + ": image " + service.path("image").asText() + " is not pinned (" + why + ")");
          }
        }
        for (Mount m : mounts(service)) {
          if (m.bind()) {
            Path source = docker.resolve(m.source()).normalize();
            if (!Files.exists(source)) {
              problem(file, "service " + name + ": bind mount source " + m.source() + " does not exist (" + source + ")");
            }
          } else if (!namedVolumes.contains(m.source())) {
            problem(file, "service " + name + ": named volume " + m.source() + " is not declared under top-level volumes");
          }
        }
        for (JsonNode dep : dependsOn(service)) {
          if (!services.has(dep.asText())) {
            problem(file, "service " + name + " depends on " + dep.asText() + ", which is not a service");
          }
        }
      }

      if (services.has("inflight")) {
        checkInflight(services.path("inflight"));
      } else {
        problem(file, "has no service inflight");
      }
      if (services.has("prometheus")) {
        checkPrometheus(services.path("prometheus"));
      }
      if (services.has("grafana")) {
        checkGrafana(services.path("grafana"));
      }
      if (services.has("demo")) {
        checkDemo(services.path("demo"));
      } else {
        problem(file, "has no service demo");
      }
    }

    static List<JsonNode> dependsOn(JsonNode service) {
      List<JsonNode> deps = new ArrayList<>();
      JsonNode d = service.path("depends_on");
      if (d.isArray()) {
        d.forEach(deps::add);
      } else if (d.isObject()) {
        d.fieldNames().forEachRemaining(n -> deps.add(JSON.getNodeFactory().textNode(n)));
      }
      return deps;
    }

    void checkBuild(String service, JsonNode build) {
      String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
      String dockerfileName = build.isTextual() ? "Dockerfile" : build.path("dockerfile").asText("Dockerfile");
      Path contextDir = docker.resolve(context).normalize();
      if (!Files.isDirectory(contextDir)) {
        problem(composeFile, "service " + service + ": build context " + context + " is not a directory (" + contextDir + ")");
        return;
      }
      Path dockerfile = contextDir.resolve(dockerfileName).normalize();
      if (!Files.isRegularFile(dockerfile)) {
        problem(composeFile, "service " + service + ": dockerfile " + dockerfileName + " does not exist (" + dockerfile + ")");
        return;
      }
      Dockerfile d = dockerfile(dockerfile);
      if (d == null) {
        return;
      }
      for (String src : d.copySources) {
        if (!src.contains("*") && !Files.exists(contextDir.resolve(src))) {
          problem(dockerfile, "COPY source " + src + " is not in the build context " + contextDir);
        }
      }
    }

    record Mount(String source, String target, boolean bind) {}

    static List<Mount> mounts(JsonNode service) {
      List<Mount> out = new ArrayList<>();
      for (JsonNode v : service.path("volumes")) {
        if (v.isTextual()) {
          String[] parts = v.asText().split(":");
          if (parts.length >= 2) {
            String src = parts[0];
            out.add(new Mount(src, parts[1], src.startsWith(".") || src.startsWith("/") || src.startsWith("~")));
          }
        } else {
          String type = v.path("type").asText("volume");
          out.add(new Mount(v.path("source").asText(), v.path("target").asText(), "bind".equals(type)));
        }
      }
      return out;
    }

    /** The host path (relative to docker/) mounted at {@code containerPath}, or a parent directory's mount; null if none. */
    Path hostPath(JsonNode service, String containerPath) {
      for (Mount m : mounts(service)) {
        if (!m.bind()) {
          continue;
        }
        String target = m.target().endsWith("/") ? m.target().substring(0, m.target().length() - 1) : m.target();
        if (containerPath.equals(target)) {
          return docker.resolve(m.source()).normalize();
        }
        if (containerPath.startsWith(target + "/")) {
          return docker.resolve(m.source()).resolve(containerPath.substring(target.length() + 1)).normalize();
        }
      }
      return null;
    }

    /** Container port → host port, from short ("8080:80", "127.0.0.1:8080:80/tcp") or long syntax. */
    static Map<Integer, Integer> published(JsonNode service) {
      Map<Integer, Integer> out = new LinkedHashMap<>();
      for (JsonNode p : service.path("ports")) {
        if (p.isObject()) {
          out.put(p.path("target").asInt(), p.path("published").asInt(p.path("target").asInt()));
          continue;
        }
        String s = p.asText();
        int slash = s.indexOf('/');
        if (slash >= 0) {
          s = s.substring(0, slash);
        }
        String[] parts = s.split(":");
        int container = Integer.parseInt(parts[parts.length - 1]);
        int host = parts.length >= 2 ? Integer.parseInt(parts[parts.length - 2]) : container;
        out.put(container, host);
      }
      return out;
    }

    /** The value of {@code --flag value} or {@code --flag=value} in a service's command, or null. */
    static String flag(JsonNode service, String flag) {
      List<String> args = command(service);
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals(flag) && i + 1 < args.size()) {
          return args.get(i + 1);
        }
        if (args.get(i).startsWith(flag + "=")) {
          return args.get(i).substring(flag.length() + 1);
        }
      }
      return null;
    }

    static List<String> command(JsonNode service) {
      JsonNode c = service.path("command");
      List<String> args = new ArrayList<>();
      if (c.isArray()) {
        c.forEach(a -> args.add(a.asText()));
      } else if (c.isTextual()) {
        args.addAll(List.of(c.asText().trim().split("\\s+")));
      }
      return args;
    }

    static Map<String, String> environment(JsonNode service) {
      Map<String, String> env = new LinkedHashMap<>();
      JsonNode e = service.path("environment");
      if (e.isObject()) {
        e.properties().forEach(f -> env.put(f.getKey(), f.getValue().asText()));
      } else if (e.isArray()) {
        for (JsonNode kv : e) {
          String s = kv.asText();
          int eq = s.indexOf('=');
          env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
      }
      return env;
    }

    // --- inflight ---

    static final Pattern ENV_REF = Pattern.compile("\\$\\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

    /** The config the inflight service runs: the file mounted where its --config points. */
    Path inflightConfig(JsonNode inflight) {
      String config = flag(inflight, "--config");
      if (config == null) {
        problem(composeFile, "service inflight: no --config in its command (it would run the image's default config)");
        return null;
      }
      Path host = hostPath(inflight, config);
      if (host == null) {
        problem(composeFile, "service inflight: --config " + config + " is not a bind-mounted file");
        return null;
      }
      return Files.isRegularFile(host) ? host : null;
    }

    private Map<String, Integer> inflightPorts;

    /** What the inflight service listens on, by component, from its mounted config (read once). */
    Map<String, Integer> inflightPorts() {
      if (inflightPorts == null) {
        inflightPorts = inflightConfigPorts(services.path("inflight"));
      }
      return inflightPorts;
    }

    /** What inflight listens on, by component, from its mounted config; listeners not in use are ignored. */
    Map<String, Integer> inflightConfigPorts(JsonNode inflight) {
      Path file = inflightConfig(inflight);
      Map<String, Integer> ports = new LinkedHashMap<>();
      if (file == null) {
        return ports;
      }
      JsonNode config = yaml(file);
      JsonNode service = config.path("service");
      // Applications send logs to the same OTLP endpoint as spans: a logs pipeline must take them.
      boolean logsFromOtlp = false;
      for (Map.Entry<String, JsonNode> p : service.path("pipelines").properties()) {
        if (p.getKey().equals("logs") || p.getKey().startsWith("logs/")) {
          for (JsonNode r : p.getValue().path("receivers")) {
            logsFromOtlp |= r.asText().equals("otlp") || r.asText().startsWith("otlp/");
          }
        }
      }
      if (!logsFromOtlp) {
        problem(file, "has no logs pipeline with an otlp receiver: the logs applications send to its OTLP endpoint would be refused");
      }
      Set<String> used = new LinkedHashSet<>();
      for (JsonNode pipeline : service.path("pipelines")) {
        pipeline.path("receivers").forEach(r -> used.add("receivers." + r.asText()));
        pipeline.path("exporters").forEach(x -> used.add("exporters." + x.asText()));
      }
      service.path("extensions").forEach(x -> used.add("extensions." + x.asText()));
      for (String id : used) {
        String kind = id.substring(0, id.indexOf('.'));
        String name = id.substring(id.indexOf('.') + 1);
        String type = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        JsonNode component = config.path(kind).path(name);
        switch (type) {
          case "otlp" -> {
            if (kind.equals("receivers")) {
              listen(file, ports, "otlp grpc", id + ".protocols.grpc.endpoint", component.path("protocols").path("grpc").path("endpoint"));
              listen(file, ports, "otlp http", id + ".protocols.http.endpoint", component.path("protocols").path("http").path("endpoint"));
            }
          }
          case "prometheus" -> listen(file, ports, "prometheus", id + ".endpoint", component.path("endpoint"));
          case "health_check" -> listen(file, ports, "health_check", id + ".endpoint", component.path("endpoint"));
          case "query" -> listen(file, ports, "query", id + ".endpoint", component.path("endpoint"));
          default -> { }
        }
      }
      JsonNode metrics = service.path("telemetry").path("metrics");
      if (!"none".equals(metrics.path("level").asText())) {
        if (metrics.has("address") || !metrics.has("readers")) {
          listen(file, ports, "telemetry", "service.telemetry.metrics.address", metrics.path("address"));
        }
        JsonNode readers = metrics.path("readers");
        for (int i = 0; i < readers.size(); i++) {
          JsonNode prometheus = readers.get(i).path("pull").path("exporter").path("prometheus");
          if (!prometheus.isMissingNode()) {
            String host = prometheus.path("host").asText("");
            listen(file, ports, "telemetry", "service.telemetry.metrics.readers[" + i + "].pull",
                com.fasterxml.jackson.databind.node.TextNode.valueOf(host + ":" + prometheus.path("port").asText()));
          }
        }
      }
      // Every ${env:VAR} without a default must be set in the container.
      Map<String, String> env = environment(inflight);
      try {
        Matcher m = ENV_REF.matcher(Files.readString(file));
        while (m.find()) {
          if (m.group(2) == null && !env.containsKey(m.group(1))) {
            problem(composeFile, "service inflight: its config " + docker.relativize(file) + " uses ${env:" + m.group(1)
                + "}, which the service's environment does not set");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ports;
    }

    private void listen(Path file, Map<String, Integer> ports, String what, String key, JsonNode endpoint) {
      if (!endpoint.isTextual()) {
        problem(file, key + " is not set: write it (0.0.0.0:" + DEFAULT_PORTS.get(what) + ") so the port is explicit");
        return;
      }
      String hostPort = endpoint.asText();
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? "" : hostPort.substring(0, colon);
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        problem(file, key + ": " + hostPort + " has no port");
        return;
      }
      if (!Set.of("0.0.0.0", "", "[::]", "::").contains(host)) {
        problem(file, key + ": " + hostPort + " listens on " + host + " only: other containers and the host cannot reach it (use 0.0.0.0)");
      }
      if (port != DEFAULT_PORTS.get(what)) {
        problem(file, key + ": port " + port + " is not inflight's default " + DEFAULT_PORTS.get(what) + " for " + what);
      }
      ports.put(what, port);
    }

    void checkInflight(JsonNode inflight) {
      Map<String, Integer> ports = inflightPorts();
      Map<Integer, Integer> published = published(inflight);
      for (Map.Entry<String, Integer> e : ports.entrySet()) {
        Integer host = published.get(e.getValue());
        if (host == null) {
          problem(composeFile, "service inflight: port " + e.getValue() + " (" + e.getKey() + ") is not published");
        } else if (!host.equals(e.getValue())) {
          problem(composeFile, "service inflight: port " + e.getValue() + " (" + e.getKey() + ") is published as " + host
              + ", not as itself, which is inflight's default");
        }
      }
      for (Integer container : published.keySet()) {
        if (!ports.containsValue(container)) {
          problem(composeFile, "service inflight: publishes " + container + ", on which its config does not listen");
        }
      }
      Path dockerfile = builtDockerfile(inflight);
      if (dockerfile != null) {
        Dockerfile d = dockerfile(dockerfile);
        if (d != null) {
          for (Map.Entry<String, Integer> e : ports.entrySet()) {
            if (!d.exposed.contains(e.getValue())) {
              problem(dockerfile, "does not EXPOSE " + e.getValue() + " (" + e.getKey() + ")");
            }
          }
        }
      }
    }

    Path builtDockerfile(JsonNode service) {
      JsonNode build = service.path("build");
      if (build.isMissingNode()) {
        return null;
      }
      String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
      String name = build.isTextual() ? "Dockerfile" : build.path("dockerfile").asText("Dockerfile");
      Path f = docker.resolve(context).resolve(name).normalize();
      return Files.isRegularFile(f) ? f : null;
    }

    // --- prometheus ---

    void checkPrometheus(JsonNode prometheus) {
      for (String f : List.of("--web.enable-otlp-receiver", "--web.enable-remote-write-receiver")) {
        if (!command(prometheus).contains(f)) {
          problem(composeFile, "service prometheus: its command lacks " + f);
        }
      }
      String config = flag(prometheus, "--config.file");
      if (config == null) {
        problem(composeFile, "service prometheus: no --config.file in its command");
        return;
      }
      Path file = hostPath(prometheus, config);
      if (file == null || !Files.isRegularFile(file)) {
        problem(composeFile, "service prometheus: --config.file " + config + " is not a bind-mounted file");
        return;
      }
      JsonNode yml = yaml(file);
      Map<String, List<String>> targets = new LinkedHashMap<>();
      for (JsonNode job : yml.path("scrape_configs")) {
        List<String> t = new ArrayList<>();
        for (JsonNode sc : job.path("static_configs")) {
          sc.path("targets").forEach(x -> t.add(x.asText()));
        }
        targets.put(job.path("job_name").asText(), t);
        for (String target : t) {
          String host = target.substring(0, target.lastIndexOf(':'));
          if (!host.equals("localhost") && !services.has(host)) {
            problem(file, "job " + job.path("job_name").asText() + " scrapes " + target + ", but " + host + " is not a service");
          }
        }
      }
      Map<String, Integer> ports = inflightPorts();
      expectTarget(file, targets, "inflight-workers", ports.get("prometheus"), "the prometheus exporter");
      expectTarget(file, targets, "inflight-self", ports.get("telemetry"), "the self-telemetry");
    }

    private void expectTarget(Path file, Map<String, List<String>> targets, String job, Integer port, String what) {
      String expected = "inflight:" + port;
      if (port == null) {
        problem(file, "job " + job + ": inflight's config has no endpoint for " + what + " to scrape");
      } else if (!targets.getOrDefault(job, List.of()).equals(List.of(expected))) {
        problem(file, "job " + job + " must scrape " + what + " at " + expected + ", scrapes " + targets.get(job));
      }
    }

    // --- grafana ---

    void checkGrafana(JsonNode grafana) {
      Path datasources = hostPath(grafana, "/etc/grafana/provisioning/datasources");
      Path providers = hostPath(grafana, "/etc/grafana/provisioning/dashboards");
      Set<String> uids = new TreeSet<>();
      if (datasources == null || !Files.isDirectory(datasources)) {
        problem(composeFile, "service grafana: no directory is mounted at /etc/grafana/provisioning/datasources");
      } else {
        for (Path f : yamlFiles(datasources)) {
          for (JsonNode ds : yaml(f).path("datasources")) {
            uids.add(ds.path("uid").asText());
            if ("prometheus".equals(ds.path("type").asText())) {
              checkDatasourceUrl(f, ds.path("url").asText());
            }
          }
        }
        if (!uids.contains(DATASOURCE_UID)) {
          problem(datasources, "provisions no datasource uid " + DATASOURCE_UID + ", which the dashboards use (has " + uids + ")");
        }
      }
      if (providers == null || !Files.isDirectory(providers)) {
        problem(composeFile, "service grafana: no directory is mounted at /etc/grafana/provisioning/dashboards");
      } else {
        for (Path f : yamlFiles(providers)) {
          for (JsonNode p : yaml(f).path("providers")) {
            String path = p.path("options").path("path").asText();
            Path dir = hostPath(grafana, path);
            if (dir == null || !Files.isDirectory(dir)) {
              problem(f, "provider " + p.path("name").asText() + ": options.path " + path + " is not a directory mounted into grafana");
            } else if (dashboardFiles(dir).isEmpty()) {
              problem(f, "provider " + p.path("name").asText() + ": " + dir + " holds no dashboard JSON");
            } else {
              for (Path d : dashboardFiles(dir)) {
                checkDashboard(d, uids);
              }
            }
          }
        }
      }
      String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
      if (home != null) {
        Path f = hostPath(grafana, home);
        if (f == null || !Files.isRegularFile(f)) {
          problem(composeFile, "service grafana: GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH " + home + " is not a mounted file");
        }
      }
    }

    private void checkDatasourceUrl(Path file, String url) {
      URI u = URI.create(url);
      JsonNode target = services.path(u.getHost());
      if (target.isMissingNode()) {
        problem(file, "datasource url " + url + ": " + u.getHost() + " is not a service");
      } else if (u.getPort() != 9090 || !published(target).containsKey(9090)) {
        problem(file, "datasource url " + url + ": Prometheus listens on 9090 (port " + u.getPort() + ")");
      }
    }

    static List<Path> yamlFiles(Path dir) {
      try (Stream<Path> files = Files.list(dir)) {
        return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    // --- dashboards ---

    void checkDashboard(Path file, Set<String> datasourceUids) {
      JsonNode d;
      try {
        d = JSON.readTree(file.toFile());
      } catch (IOException e) {
        problem(file, "does not parse as JSON: " + e.getMessage().lines().findFirst().orElse(""));
        return;
      }
      if (d.path("uid").asText().isBlank() || d.path("title").asText().isBlank()) {
        problem(file, "needs a uid and a title");
      }
      Set<String> variables = new TreeSet<>(BUILTIN_VARIABLES);
      for (JsonNode v : d.path("templating").path("list")) {
        variables.add(v.path("name").asText());
        if ("query".equals(v.path("type").asText())) {
          checkDatasource(file, "variable " + v.path("name").asText(), v.path("datasource"), datasourceUids);
          if (variableQuery(v).isBlank()) {
            problem(file, "variable " + v.path("name").asText() + " has no query");
          }
        }
      }
      List<JsonNode> panels = panels(d);
      if (panels.isEmpty()) {
        problem(file, "has no panels");
      }
      Set<Integer> ids = new TreeSet<>();
      for (JsonNode p : panels) {
        String title = "panel \"" + p.path("title").asText() + "\"";
        if (!ids.add(p.path("id").asInt())) {
          problem(file, title + ": id " + p.path("id").asInt() + " is used twice");
        }
        JsonNode grid = p.path("gridPos");
        if (grid.path("w").asInt() < 1 || grid.path("x").asInt() + grid.path("w").asInt() > 24 || grid.path("h").asInt() < 1) {
          problem(file, title + ": gridPos " + grid + " is not within Grafana's 24 columns");
        }
        checkDatasource(file, title, p.path("datasource"), datasourceUids);
        JsonNode targets = p.path("targets");
        if (!targets.isArray() || targets.isEmpty()) {
          problem(file, title + " has no targets");
          continue;
        }
        Set<String> refIds = new TreeSet<>();
        for (JsonNode t : targets) {
          String ref = t.path("refId").asText();
          if (ref.isBlank() || !refIds.add(ref)) {
            problem(file, title + ": target refId \"" + ref + "\" is empty or used twice");
          }
          if (t.has("datasource")) {
            checkDatasource(file, title + " target " + ref, t.path("datasource"), datasourceUids);
          }
          String expr = t.path("expr").asText();
          if (expr.isBlank()) {
            problem(file, title + " target " + ref + " has no expr");
            continue;
          }
          for (String v : variablesIn(expr)) {
            if (!variables.contains(v)) {
              problem(file, title + " target " + ref + " uses $" + v + ", which is not a variable of the dashboard");
            }
          }
        }
      }
    }

    private void checkDatasource(Path file, String where, JsonNode ds, Set<String> uids) {
      if (!"prometheus".equals(ds.path("type").asText()) || !uids.contains(ds.path("uid").asText())) {
        problem(file, where + ": datasource uid " + ds.path("uid").asText() + " (type " + ds.path("type").asText()
            + ") is not a provisioned Prometheus datasource (uids: " + uids + ")");
      }
    }

    // --- demo ---

    void checkDemo(JsonNode demo) {
      String endpoint = environment(demo).get("OTEL_EXPORTER_OTLP_ENDPOINT");
      Integer http = inflightPorts().get("otlp http");
      String expected = "http://inflight:" + http;
      if (http != null && !expected.equals(endpoint)) {
        problem(composeFile, "service demo: OTEL_EXPORTER_OTLP_ENDPOINT is " + endpoint + ", not inflight's OTLP/HTTP " + expected);
      }
      JsonNode dep = demo.path("depends_on").path("inflight");
      if (!"service_healthy".equals(dep.path("condition").asText())) {
        problem(composeFile, "service demo: should depend on inflight with condition service_healthy");
      }
      Path dockerfile = builtDockerfile(demo);
      if (dockerfile == null) {
        return;
      }
      Path context = dockerfile.getParent();
      if (!Files.isRegularFile(context.resolve("package-lock.json"))) {
        problem(context, "has no package-lock.json (npm ci needs it)");
      }
      checkDemoSendsLogs(context, dockerfile(dockerfile));
      // The demo uses the SDK versions the Node end-to-end client (tests/node) pins.
      Path testsNode = docker.getParent().resolve("tests/node/package.json");
      if (Files.isRegularFile(testsNode) && Files.isRegularFile(context.resolve("package.json"))) {
        JsonNode ours = readJson(context.resolve("package.json")).path("dependencies");
        JsonNode theirs = readJson(testsNode).path("dependencies");
        ours.properties().forEach(e -> {
          JsonNode v = theirs.path(e.getKey());
          if (!v.isMissingNode() && !v.asText().equals(e.getValue().asText())) {
            problem(context.resolve("package.json"), e.getKey() + " " + e.getValue().asText() + " differs from tests/node's " + v.asText());
          }
        });
      }
    }

    /** The demo's script (its image's CMD) imports an OTLP logs exporter that its package.json installs. */
    void checkDemoSendsLogs(Path context, Dockerfile d) {
      String exporter = "@opentelemetry/exporter-logs-otlp-proto";
      if (!readJson(context.resolve("package.json")).path("dependencies").has(exporter)) {
        problem(context.resolve("package.json"), "the demo sends no logs: " + exporter + " is not a dependency");
      }
      Matcher script = d == null || d.cmd == null ? null : Pattern.compile("\"([^\"]+\\.m?js)\"").matcher(d.cmd);
      if (script == null || !script.find()) {
        problem(context.resolve("Dockerfile"), "CMD runs no .mjs/.js script: " + (d == null ? null : d.cmd));
        return;
      }
      Path file = context.resolve(script.group(1));
      try {
        if (!Files.readString(file).contains("from '" + exporter + "'")) {
          problem(file, "the demo sends no logs: it does not import " + exporter);
        }
      } catch (IOException e) {
        problem(file, "unreadable: " + e);
      }
    }

    // --- Dockerfiles ---

    /** What the checks need from a Dockerfile: its final stage's user, exposed ports, health check, entrypoint; all FROMs. */
    static final class Dockerfile {
      final List<String> from = new ArrayList<>();
      final Set<Integer> exposed = new TreeSet<>();
      final List<String> copySources = new ArrayList<>();
      String user;
      String healthcheck;
      String entrypoint;
      String cmd;
    }

    Dockerfile dockerfile(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (IOException e) {
        problem(file, "unreadable: " + e);
        return null;
      }
      // Instructions: comments dropped, continuation lines joined.
      List<String> instructions = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : lines) {
        String t = line.strip();
        if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
          continue;
        }
        if (t.endsWith("\\")) {
          current.append(t, 0, t.length() - 1).append(' ');
        } else {
          current.append(t);
          if (!current.toString().isBlank()) {
            instructions.add(current.toString().strip());
          }
          current.setLength(0);
        }
      }
      Dockerfile d = new Dockerfile();
      Set<String> stages = new TreeSet<>();
      for (String ins : instructions) {
        String keyword = ins.split("\\s+", 2)[0].toUpperCase();
        String args = ins.contains(" ") ? ins.substring(ins.indexOf(' ') + 1).strip() : "";
        switch (keyword) {
          case "FROM" -> {
            // A new stage: only the final one's settings count.
            String[] parts = args.split("\\s+");
            String image = parts[0].startsWith("--platform") && parts.length > 1 ? parts[1] : parts[0];
            d.from.add(image);
            if (!stages.contains(image)) {
              String why = unpinned(image);
              if (why != null) {
                problem(file, "FROM " + image + " is not pinned (" + why + ")");
              }
            }
            if (parts.length >= 3 && parts[parts.length - 2].equalsIgnoreCase("AS")) {
              stages.add(parts[parts.length - 1]);
            }
            d.user = null;
            d.healthcheck = null;
            d.entrypoint = null;
            d.cmd = null;
            d.exposed.clear();
          }
          case "USER" -> d.user = args;
          case "HEALTHCHECK" -> d.healthcheck = args.equalsIgnoreCase("NONE") ? null : args;
          case "ENTRYPOINT" -> d.entrypoint = args;
          case "CMD" -> d.cmd = args;
          case "EXPOSE" -> {
            for (String p : args.split("\\s+")) {
              d.exposed.add(Integer.parseInt(p.replaceAll("/.*", "")));
            }
          }
          case "COPY", "ADD" -> {
            List<String> parts = new ArrayList<>(List.of(args.split("\\s+")));
            if (parts.stream().noneMatch(p -> p.startsWith("--from")) && !args.startsWith("[")) {
              parts.removeIf(p -> p.startsWith("--"));
              for (String src : parts.subList(0, Math.max(0, parts.size() - 1))) {
                if (!src.equals(".")) {
                  d.copySources.add(src);
                }
              }
            }
          }
          default -> { }
        }
      }
      if (d.from.isEmpty()) {
        problem(file, "has no FROM");
      }
      String uid = d.user == null ? null : d.user.split(":")[0];
      if (uid == null || uid.equals("root") || uid.equals("0")) {
        problem(file, "runs as root: its final stage needs a USER that is not root");
      }
      String start = d.entrypoint != null ? d.entrypoint : d.cmd;
      if (start == null || !start.startsWith("[")) {
        problem(file, "ENTRYPOINT/CMD must be in exec form ([\"...\"]) so that SIGTERM reaches the process: " + start);
      }
      return d;
    }

    /** Why {@code image} is not pinned to a version, or null when it is. */
    static String unpinned(String image) {
      if (image.contains("@sha256:")) {
        return null;
      }
      String last = image.substring(image.lastIndexOf('/') + 1);
      int colon = last.indexOf(':');
      if (colon < 0) {
        return "no tag: that is :latest";
      }
      String tag = last.substring(colon + 1);
      if (tag.equals("latest") || tag.isBlank()) {
        return "tag " + tag;
      }
      return null;
    }
  }
}
