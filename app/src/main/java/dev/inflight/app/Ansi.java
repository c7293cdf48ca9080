package dev.inflight.app;

/** The few ANSI escape sequences {@code top} and {@code trace} use; {@code paint} is a no-op when colour is off. */
enum Ansi {
  BOLD("1"),
  DIM("2"),
  RED("31"),
  GREEN("32"),
  YELLOW("33"),
  BLUE("34"),
  MAGENTA("35"),
  CYAN("36");

  static final String RESET = "\u001b[0m";
  /** Cursor home, then erase the screen: one redraw of {@code top --watch} without scrolling. */
  static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

  private final String code;

  Ansi(String code) {
    this.code = "\u001b[" + code + "m";
  }

  String code() {
    return code;
  }

  String paint(String text, boolean colour) {
    return colour && !text.isEmpty() ? code + text + RESET : text;
  }

  /** The text as it shows on screen. */
  static String strip(String text) {
    return text.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
  }
}
