package dev.inflight.app;

import java.io.File;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.concurrent.TimeUnit;

/**
 * What the commands that draw ({@code top}, {@code trace}) need to know about where stdout goes.
 *
 * @param interactive stdout (and stdin) is a terminal, so redrawing in place makes sense
 * @param noColorEnv {@code NO_COLOR} is set to a non-empty value (https://no-color.org)
 * @param columns the terminal's width, 0 when unknown
 * @param charset what stdout encodes with; box-drawing characters only when it has them
 */
record Terminal(boolean interactive, boolean noColorEnv, int columns, Charset charset) {
  /** A pipe or a file, no colour, unknown width, UTF-8: what tests compare against. */
  static final Terminal PLAIN = new Terminal(false, false, 0, StandardCharsets.UTF_8);

  /** @param measureWidth ask the terminal for its width (it may run {@code stty}); else columns is 0 */
  static Terminal detect(boolean measureWidth) {
    // Java 17's System.console() is non-null only when both stdin and stdout are terminals.
    boolean interactive = System.console() != null;
    String noColor = System.getenv("NO_COLOR");
    return new Terminal(interactive, noColor != null && !noColor.isEmpty(),
        interactive && measureWidth ? terminalColumns() : 0, stdoutCharset());
  }

  /** Colour only on a terminal, unless NO_COLOR or {@code --no-color} says otherwise. */
  boolean colour(boolean noColorOption) {
    return interactive && !noColorEnv && !noColorOption;
  }

  boolean unicode() {
    return charset.newEncoder().canEncode("─│┌┐└┘━┃┏┓┗┛═║╔╗╚╝┄┆╭╮╰╯┅┇┤┼┬►←");
  }

  /** COLUMNS when exported, else what {@code stty size} says about the controlling terminal. */
  private static int terminalColumns() {
    String env = System.getenv("COLUMNS");
    if (env != null && env.matches("[0-9]{1,4}") && Integer.parseInt(env) > 0) {
      return Integer.parseInt(env);
    }
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return 0;
    }
    try {
      Process stty = new ProcessBuilder("stty", "size")
          .redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!stty.waitFor(1, TimeUnit.SECONDS)) {
        stty.destroyForcibly();
        return 0;
      }
      String[] rowsCols = new String(stty.getInputStream().readAllBytes()).trim().split("\\s+");
      return rowsCols.length == 2 && rowsCols[1].matches("[0-9]{1,4}") ? Integer.parseInt(rowsCols[1]) : 0;
    } catch (Exception e) {
      // No stty (Windows, a minimal image) or no controlling terminal: the caller's default applies.
      return 0;
    }
  }

  private static Charset stdoutCharset() {
    // Java 17 encodes System.out with sun.stdout.encoding when set, else the default charset;
    // Java 19+ names it stdout.encoding.
    for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
      String name = System.getProperty(property);
      if (name != null) {
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          // fall through to the default
        }
      }
    }
    return Charset.defaultCharset();
  }
}
