package dev.inflight.component;

/** The five kinds of component, with the top-level config section each is defined in. */
public enum ComponentKind {
  RECEIVER("receivers", "receiver"),
  PROCESSOR("processors", "processor"),
  EXPORTER("exporters", "exporter"),
  CONNECTOR("connectors", "connector"),
  EXTENSION("extensions", "extension");

  private final String section;
  private final String singular;

  ComponentKind(String section, String singular) {
    this.section = section;
    this.singular = singular;
  }

  /** The top-level YAML key under which components of this kind are defined. */
  public String section() {
    return section;
  }

  /** The word used in messages: {@code failed to start "otlp" receiver}. */
  public String singular() {
    return singular;
  }

  @Override
  public String toString() {
    return singular;
  }
}
