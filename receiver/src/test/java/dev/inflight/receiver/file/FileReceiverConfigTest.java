package dev.inflight.receiver.file;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver's config as a user writes it, through the real loader. */
class FileReceiverConfigTest {
  private static String yaml(String receiverYaml) {
    return "receivers:\n" + receiverYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [file]\n      exporters: [nop]\n";
  }

  private static FileReceiverConfig load(String receiverYaml) throws InvalidConfigException {
    return (FileReceiverConfig) ConfigFixture.load(yaml(receiverYaml), Map.of(), new FileReceiverFactory(), nopExporter())
        .config().of(ComponentKind.RECEIVER).get(ComponentId.of("file"));
  }

  private static List<String> problems(String receiverYaml) {
    return ConfigFixture.problems(yaml(receiverYaml), Map.of(), new FileReceiverFactory(), nopExporter());
  }

  @Test
  void defaultsAreMaxSpeedAndAOneMinuteGap() throws Exception {
    FileReceiverConfig c = load("  file:\n    include: [/var/lib/inflight/spans*.binpb]\n");
    assertThat(c.include()).containsExactly("/var/lib/inflight/spans*.binpb");
    assertThat(c.exclude()).isEmpty();
    assertThat(c.replay().speed()).isEqualTo("max");
    assertThat(c.replay().speedFactor()).isEqualTo(ReplayPacer.MAX);
    assertThat(c.replay().maxGap()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void speedAsANumberOrMaxAndMaxGapAsADuration() throws Exception {
    FileReceiverConfig c = load("  file:\n    include: [a.binpb]\n    exclude: ['*.tmp']\n"
        + "    replay:\n      speed: 2.5\n      max_gap: 10s\n");
    assertThat(c.replay().speedFactor()).isEqualTo(2.5);
    assertThat(c.replay().maxGap()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.exclude()).containsExactly("*.tmp");
    assertThat(load("  file:\n    include: [a]\n    replay: {speed: 1}\n").replay().speedFactor()).isEqualTo(1.0);
  }

  @Test
  void problemsNameTheKey() {
    assertThat(problems("  file:\n")).anyMatch(p -> p.contains("receivers.file.include")
        && p.contains("include is required: list the recording files, directories or globs to read"));
    assertThat(problems("  file:\n    include: []\n")).anyMatch(p -> p.contains("include is required"));
    assertThat(problems("  file:\n    include: [a]\n    replay: {speed: 0}\n")).anyMatch(p ->
        p.contains("receivers.file.replay.speed")
            && p.contains("speed must be a number above 0 (1 = as recorded, 2 = twice as fast) or max, got \"0\""));
    assertThat(problems("  file:\n    include: [a]\n    replay: {speed: fast}\n")).anyMatch(p -> p.contains("got \"fast\""));
    assertThat(problems("  file:\n    include: [a]\n    replay: {max_gap: 0s}\n"))
        .anyMatch(p -> p.contains("receivers.file.replay.max_gap") && p.contains("max_gap must be positive"));
    assertThat(problems("  file:\n    include: [a]\n    replay: {spede: 2}\n")).anyMatch(p -> p.contains("speed"));
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    FileReceiverConfig config = ConfigFixture.documentedExample(
        "file/config.yaml", "file-receiver.md", ComponentKind.RECEIVER, "file",
        Map.of(), new FileReceiverFactory(), nopExporter());

    assertThat(config.include()).containsExactly("/var/lib/inflight/spans*.binpb");
    assertThat(config.exclude()).containsExactly("/var/lib/inflight/*.tmp");
    assertThat(config.replay().speed()).isEqualTo("max");
    assertThat(config.replay().maxGap()).isEqualTo(Duration.ofMinutes(1));
  }
}
