package dev.inflight.tools.analyze;

import java.util.List;

/**
 * What was read from the recording files.
 *
 * @param files the files, in the order read (oldest first)
 * @param records records read and decoded
 * @param metricsRecords of them, metrics requests (skipped: only spans are analysed)
 * @param logsRecords of them, logs requests (skipped too)
 * @param damagedRecords records skipped because they did not decode, not counting a cut-off last one
 * @param truncatedFiles files whose last record was cut off (the writer stopped mid-write); that
 *     record was skipped
 */
public record ReadSummary(
    List<String> files, long records, long metricsRecords, long logsRecords, long damagedRecords,
    long truncatedFiles) {
  public ReadSummary {
    files = List.copyOf(files);
  }
}
