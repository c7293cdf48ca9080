package dev.inflight.component.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...": the closest known word to a misspelt one, by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code word}, if it is close enough to be a plausible typo: at most a
   * third of the word's length in edits (at least one), or the same letters in another case.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = word.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, word.length() / 3);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Damerau–Levenshtein (optimal string alignment): a swap of two letters counts as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** {@code "; did you mean `endpoint`?"} or empty: the end of a problem's message. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> "; did you mean `" + c + "`?").orElse("");
  }
}
