package dev.inflight.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as a Jackson tree, with the line every value was written on and the environment
 * references expanded in its scalars. SnakeYAML composes nodes (which carry their marks) and
 * constructs no objects, so a document cannot instantiate anything.
 */
final class YamlTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The parsed tree and, per dotted path, where it was written and which env vars it lacked. */
  record Parsed(JsonNode root, Map<String, Location> locations, Map<String, List<String>> unsetVars) {}

  private final String source;
  private final EnvExpander env;
  private final List<LocatedProblem> located;
  private final Map<String, Location> locations = new HashMap<>();
  private final Map<String, List<String>> unsetVars = new HashMap<>();

  private YamlTree(String source, EnvExpander env, List<LocatedProblem> located) {
    this.source = source;
    this.env = env;
    this.located = located;
  }

  /**
   * Parses one document. A syntax error is added to {@code located} and null returned. Paths are
   * prefixed with {@code prefix} (for {@code --set}, the key being set).
   */
  static Parsed parse(
      String source,
      String yaml,
      String prefix,
      boolean lineNumbers,
      EnvExpander env,
      List<LocatedProblem> located) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(16 * 1024 * 1024);
    Node node;
    try {
      node = new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      int column = e.getProblemMark() == null ? 0 : e.getProblemMark().getColumn() + 1;
      String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      located.add(new LocatedProblem(new Location(source, line, column), "", "invalid YAML: " + context + what));
      return null;
    } catch (YAMLException e) {
      located.add(new LocatedProblem(new Location(source, 0), "", "invalid YAML: " + e.getMessage()));
      return null;
    }
    YamlTree tree = new YamlTree(source, env, located);
    JsonNode root = node == null ? NODES.nullNode() : tree.convert(node, prefix, tree.locationOf(node, lineNumbers), lineNumbers);
    return new Parsed(root, tree.locations, tree.unsetVars);
  }

  private Location locationOf(Node node, boolean lineNumbers) {
    return new Location(source, lineNumbers ? node.getStartMark().getLine() + 1 : 0);
  }

  /**
   * Converts {@code node}, written at {@code at} (for a map value, the line of its key, which is
   * where a reader looks for it).
   */
  private JsonNode convert(Node node, String path, Location at, boolean lineNumbers) {
    locations.put(path, at);
    if (node instanceof MappingNode map) {
      ObjectNode obj = NODES.objectNode();
      Map<String, Location> seen = new HashMap<>();
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
          problem(locationOf(t.getKeyNode(), lineNumbers), path, "a map key must be a plain scalar");
          continue;
        }
        String key = keyNode.getValue();
        Location keyAt = locationOf(keyNode, lineNumbers);
        if (key.equals("<<")) {
          merge(obj, t.getValueNode(), path, keyAt, lineNumbers);
          continue;
        }
        String childPath = path.isEmpty() ? key : path + "." + key;
        Location first = seen.putIfAbsent(key, keyAt);
        if (first != null) {
          problem(keyAt, childPath, "duplicate key `" + key + "` (first written at line " + first.line() + ")");
          continue;
        }
        obj.set(key, convert(t.getValueNode(), childPath, keyAt, lineNumbers));
      }
      return obj;
    }
    if (node instanceof SequenceNode seq) {
      ArrayNode arr = NODES.arrayNode();
      int i = 0;
      for (Node item : seq.getValue()) {
        arr.add(convert(item, path + "[" + i++ + "]", locationOf(item, lineNumbers), lineNumbers));
      }
      return arr;
    }
    return scalar((ScalarNode) node, path, at);
  }

  /** YAML merge keys ({@code <<: *defaults}): entries the map does not set itself. */
  private void merge(ObjectNode into, Node value, String path, Location at, boolean lineNumbers) {
    List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    for (Node s : sources) {
      JsonNode converted = convert(s, path, at, lineNumbers);
      if (converted instanceof ObjectNode obj) {
        obj.fields().forEachRemaining(e -> {
          if (!into.has(e.getKey())) {
            into.set(e.getKey(), e.getValue());
          }
        });
      }
    }
  }

  private JsonNode scalar(ScalarNode node, String path, Location at) {
    String text = node.getValue();
    Tag tag = node.getTag();
    if (node.isPlain()) {
      if (Tag.NULL.equals(tag)) {
        return NODES.nullNode();
      }
      if (Tag.BOOL.equals(tag)) {
        return NODES.booleanNode(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
      }
      if (Tag.INT.equals(tag)) {
        try {
          BigInteger v = new BigInteger(text.replace("_", ""));
          return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
        } catch (NumberFormatException e) {
          return NODES.textNode(text); // 0x1F, 0o17: let the binder report it against the field
        }
      }
      if (Tag.FLOAT.equals(tag)) {
        try {
          return NODES.numberNode(Double.parseDouble(text));
        } catch (NumberFormatException e) {
          return NODES.textNode(text);
        }
      }
    }
    EnvExpander.Result r = env.expand(text);
    if (!r.unset().isEmpty()) {
      unsetVars.put(path, r.unset());
    }
    for (String error : r.errors()) {
      problem(at, path, error);
    }
    return NODES.textNode(r.value());
  }

  private void problem(Location at, String path, String message) {
    located.add(new LocatedProblem(at, path, message));
  }
}
