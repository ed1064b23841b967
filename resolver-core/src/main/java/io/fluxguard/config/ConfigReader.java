package io.fluxguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads configuration keys from three layers, highest first: command-line overrides, environment
 * variables ({@code FLUXGUARD_} plus the key upper-cased with dots and dashes as underscores, so
 * {@code cache.max-ttl} is {@code FLUXGUARD_CACHE_MAX_TTL}; lists comma-separated), and the YAML
 * file. Every bad value is collected with where it came from, its key and what was expected, so
 * all problems are reported at once.
 */
final class ConfigReader {
  private final String fileName;
  private final JsonNode root;
  private final Map<String, Integer> lines;
  private final Map<String, String> env;
  private final Map<String, List<String>> overrides;
  private final Set<String> readKeys = new HashSet<>();
  private final Set<String> sectionKeys = new HashSet<>(); // mappings of names (policy.lists)
  private final List<String> errors = new ArrayList<>();

  ConfigReader(
      String fileName,
      JsonNode root,
      Map<String, Integer> lines,
      Map<String, String> env,
      Map<String, List<String>> overrides) {
    this.fileName = fileName;
    this.root = root;
    this.lines = lines;
    this.env = env;
    this.overrides = overrides;
  }

  static String envName(String key) {
    return "FLUXGUARD_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A raw value and where it came from; {@code yamlList} when the file gave a YAML sequence. */
  private record Raw(List<String> values, String origin, boolean yamlList) {}

  /** Environment variables that are not configuration keys. */
  private static final Set<String> OTHER_VARIABLES = Set.of("FLUXGUARD_LOG_LEVEL");

  private Raw raw(String key) {
    readKeys.add(key);
    List<String> cli = overrides.get(key);
    if (cli != null && !cli.isEmpty()) {
      return new Raw(cli, "command line", false);
    }
    String envValue = env.get(envName(key));
    if (envValue != null) {
      List<String> parts = new ArrayList<>();
      for (String p : envValue.split(",")) {
        if (!p.isBlank()) {
          parts.add(p.trim());
        }
      }
      return new Raw(parts, "environment " + envName(key), false);
    }
    JsonNode node = node(key);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    String origin = fileName + ":" + lines.getOrDefault(key, 0);
    if (node.isArray()) {
      List<String> values = new ArrayList<>();
      for (JsonNode item : node) {
        values.add(item.isValueNode() ? text(item) : item.toString());
      }
      return new Raw(values, origin, true);
    }
    if (node.isObject()) {
      return new Raw(List.of(node.toString()), origin, false);
    }
    return new Raw(List.of(text(node)), origin, false);
  }

  /**
   * A scalar's text. YAML 1.1 reads an unquoted on/off/yes/no as a boolean, so a boolean comes
   * back as "on" or "off": both the modes (off) and the true/false keys understand those.
   */
  private static String text(JsonNode scalar) {
    return scalar.isBoolean() ? (scalar.booleanValue() ? "on" : "off") : scalar.asText();
  }

  private JsonNode node(String key) {
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(part);
    }
    return node;
  }

  /**
   * The names under the mapping at {@code key} in the file ({@code policy.lists} → the list
   * names), in file order; empty when absent. A value that is not a mapping is reported.
   */
  List<String> childNames(String key) {
    sectionKeys.add(key);
    JsonNode node = node(key);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return List.of();
    }
    if (!node.isObject()) {
      readKeys.add(key); // reported here, not again as unknown
      error(fileName + ":" + lines.getOrDefault(key, 0), key, "a mapping of names to settings", node.toString());
      return List.of();
    }
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  <T> T value(String key, T fallback, String expected, Function<String, T> parse) {
    Raw raw = raw(key);
    if (raw == null) {
      return fallback;
    }
    if (raw.values().size() != 1) {
      error(raw.origin(), key, expected, String.join(",", raw.values()));
      return fallback;
    }
    if (raw.yamlList()) {
      error(raw.origin(), key, expected + " (one value, not a list)", String.join(",", raw.values()));
      return fallback;
    }
    String text = raw.values().get(0);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      error(raw.origin(), key, expected + detail(e), text);
      return fallback;
    }
  }

  /**
   * One of {@code accepted}, each written as its name in lower case with '-' for '_' (the enums'
   * {@code key()}); the error lists them ("enforce, monitor or off").
   */
  @SafeVarargs
  final <E extends Enum<E>> E choice(String key, E fallback, E... accepted) {
    return value(key, fallback, choices(accepted), text -> chosen(text, accepted));
  }

  /** A list of {@link #choice}s. */
  @SafeVarargs
  final <E extends Enum<E>> List<E> choices(String key, List<E> fallback, E... accepted) {
    return list(key, fallback, choices(accepted), text -> chosen(text, accepted));
  }

  private static <E extends Enum<E>> E chosen(String text, E[] accepted) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (E e : accepted) {
      if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(t)) {
        return e;
      }
    }
    throw new IllegalArgumentException();
  }

  private static String choices(Enum<?>[] accepted) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < accepted.length; i++) {
      b.append(i == 0 ? "" : i == accepted.length - 1 ? " or " : ", ")
          .append(accepted[i].name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return b.toString();
  }

  <T> List<T> list(String key, List<T> fallback, String expected, Function<String, T> parse) {
    Raw raw = raw(key);
    if (raw == null) {
      return fallback;
    }
    List<T> out = new ArrayList<>();
    for (String text : raw.values()) {
      try {
        out.add(parse.apply(text));
      } catch (IllegalArgumentException e) {
        error(raw.origin(), key, expected + detail(e), text);
      }
    }
    return out;
  }

  int integer(String key, int fallback, int min, int max) {
    return value(
        key,
        fallback,
        "an integer from " + min + " to " + max,
        text -> {
          int v = Integer.parseInt(text.trim());
          if (v < min || v > max) {
            throw new IllegalArgumentException();
          }
          return v;
        });
  }

  double decimal(String key, double fallback, double min, double max) {
    return value(
        key,
        fallback,
        "a number from " + min + " to " + max,
        text -> {
          double v = Double.parseDouble(text.trim());
          if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException();
          }
          return v;
        });
  }

  /** A readable file. */
  static java.nio.file.Path readableFile(String text) {
    java.nio.file.Path p = java.nio.file.Path.of(text.trim());
    if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
      throw new IllegalArgumentException("no readable file at that path");
    }
    return p;
  }

  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    return value(
        key,
        fallback,
        "a duration from "
            + DurationText.format(min)
            + " to "
            + DurationText.format(max)
            + " such as 500ms, 30s, 5m, 1h or 1d",
        text -> {
          Duration d = DurationText.parse(text);
          if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException();
          }
          return d;
        });
  }

  /** Where {@code key}'s value comes from (command line, a variable, file and line), or null for the default. */
  String origin(String key) {
    List<String> cli = overrides.get(key);
    if (cli != null && !cli.isEmpty()) {
      return "command line";
    }
    if (env.containsKey(envName(key))) {
      return "environment " + envName(key);
    }
    JsonNode node = node(key);
    if (node != null && !node.isNull() && !node.isMissingNode()) {
      return fileName + ":" + lines.getOrDefault(key, 0);
    }
    return null;
  }

  /** Records a problem that involves more than one key, blaming where {@code key} was set. */
  void problem(String key, String message) {
    String origin = origin(key);
    errors.add((origin == null ? "default" : origin) + ": " + key + ": " + message);
  }

  /** Reports FLUXGUARD_ variables that name no key: a misspelt override must not pass silently. */
  void checkUnknownVariables() {
    Set<String> known = new HashSet<>(OTHER_VARIABLES);
    for (String k : readKeys) {
      known.add(envName(k));
    }
    env.keySet().stream()
        .filter(v -> v.startsWith("FLUXGUARD_") && !known.contains(v))
        .sorted()
        .forEach(v -> errors.add("environment " + v + ": unknown variable (no configuration key " + v.substring(10).toLowerCase(Locale.ROOT) + ")"));
  }

  /** Reports every key in the file that nothing read: a typo must not pass silently. */
  void checkUnknownKeys() {
    collectUnknown(root, "");
  }

  private void collectUnknown(JsonNode node, String prefix) {
    if (node == null || !node.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (field.getKey().contains(".")) {
        errors.add(fileName + ":" + lines.getOrDefault(key, 0) + ": " + key
            + ": keys are nested, not dotted: write each part on its own indented line");
        continue;
      }
      if (readKeys.contains(key) || (sectionKeys.contains(key) && field.getValue().isNull())) {
        continue;
      }
      boolean parentOfRead = readKeys.stream().anyMatch(k -> k.startsWith(key + "."));
      if (parentOfRead && field.getValue().isObject()) {
        collectUnknown(field.getValue(), key);
      } else if (parentOfRead && field.getValue().isNull()) {
        continue; // a section with every key commented out
      } else {
        errors.add(fileName + ":" + lines.getOrDefault(key, 0) + ": " + key + ": unknown key");
      }
    }
  }

  List<String> errors() {
    return errors;
  }

  private void error(String origin, String key, String expected, String got) {
    errors.add(origin + ": " + key + ": expected " + expected + ", got \"" + got + "\"");
  }

  private static String detail(IllegalArgumentException e) {
    String m = e.getMessage();
    return m == null || m.isEmpty() || e instanceof NumberFormatException ? "" : " (" + m + ")";
  }
}
