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
  /** Cursor to the top left corner. */
  static final String HOME = "\u001b[H";
  /** Erase from the cursor to the end of its line. */
  static final String ERASE_LINE = "\u001b[K";
  /** Erase from the cursor to the end of the screen. */
  static final String ERASE_BELOW = "\u001b[J";
  /** Switch to the alternate screen (as full-screen programs do) and back, leaving the shell's screen as it was. */
  static final String ALTERNATE_SCREEN = "\u001b[?1049h";
  static final String MAIN_SCREEN = "\u001b[?1049l";
  static final String HIDE_CURSOR = "\u001b[?25l";
  static final String SHOW_CURSOR = "\u001b[?25h";

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

  /**
   * One redraw of {@code top --watch} in place, without flicker: cursor home, each line written over
   * the last frame's and erased to its end, then whatever the last frame had below erased. The
   * screen never shows a blank frame, and the last line ends without a newline, so a frame as tall
   * as the terminal does not scroll it.
   */
  static String redraw(String frame) {
    String lines = frame.endsWith("\n") ? frame.substring(0, frame.length() - 1) : frame;
    return HOME + lines.replace("\n", ERASE_LINE + "\n") + ERASE_LINE + ERASE_BELOW;
  }

  /** The text as it shows on screen. */
  static String strip(String text) {
    return text.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
  }
}
