package dev.inflight.processor.internal.attraction;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The Collector's attribute actions. Written in lowercase; uppercase is accepted too, as there. */
public enum ActionKind {
  /** Sets the attribute only where it is absent. */
  @JsonProperty("insert") @JsonAlias("INSERT") INSERT,
  /** Sets the attribute only where it is present. */
  @JsonProperty("update") @JsonAlias("UPDATE") UPDATE,
  /** Sets the attribute, present or not. */
  @JsonProperty("upsert") @JsonAlias("UPSERT") UPSERT,
  /** Removes the attribute (or every attribute whose key matches {@code pattern}). */
  @JsonProperty("delete") @JsonAlias("DELETE") DELETE,
  /** Replaces the value by the hex SHA-256 of it. */
  @JsonProperty("hash") @JsonAlias("HASH") HASH,
  /** Upserts the named groups of {@code pattern} matched against the string value. */
  @JsonProperty("extract") @JsonAlias("EXTRACT") EXTRACT,
  /** Changes the value's type to {@code converted_type}. */
  @JsonProperty("convert") @JsonAlias("CONVERT") CONVERT;

  /** The spelling in config: {@code insert}, ... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Actions that set a value from {@code value}, {@code from_attribute} or {@code from_context}. */
  public boolean sets() {
    return this == INSERT || this == UPDATE || this == UPSERT;
  }
}
