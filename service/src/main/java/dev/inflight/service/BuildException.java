package dev.inflight.service;

/** A factory could not make a component; the message names it. */
public final class BuildException extends Exception {
  private static final long serialVersionUID = 1L;

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
