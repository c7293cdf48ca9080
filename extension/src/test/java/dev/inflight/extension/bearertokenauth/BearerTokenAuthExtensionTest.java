package dev.inflight.extension.bearertokenauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.Host;
import dev.inflight.component.auth.ServerAuthenticator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class BearerTokenAuthExtensionTest {
  private static final Host HOST = Map::of;
  @TempDir Path dir;
  private BearerTokenAuthExtension extension;

  @AfterEach
  void stop() {
    if (extension != null) {
      extension.shutdown();
    }
  }

  private BearerTokenAuthExtension start(BearerTokenAuthConfig config) throws IOException {
    extension = new BearerTokenAuthExtension("bearertokenauth", config, LoggerFactory.getLogger("test"));
    extension.start(HOST);
    return extension;
  }

  private static ServerAuthenticator.Headers authorization(String value) {
    return name -> name.equalsIgnoreCase("Authorization") ? value : null;
  }

  @Test
  void checksTheTokenAndSendsIt() throws Exception {
    BearerTokenAuthExtension e = start(new BearerTokenAuthConfig(null, null, "s3cret", null, null));
    assertThat(e.reject(authorization("Bearer s3cret"))).isNull();
    assertThat(e.reject(authorization("Bearer s3cre"))).isEqualTo("scheme or token does not match");
    assertThat(e.reject(name -> null)).startsWith("missing or empty authorization header");
    assertThat(e.headers()).containsExactly(Map.entry("Authorization", "Bearer s3cret"));
    assertThat(e.challenge()).isEqualTo("Bearer");
  }

  @Test
  void severalTokensAnotherHeaderAndScheme() throws Exception {
    BearerTokenAuthExtension e = start(new BearerTokenAuthConfig("X-Api-Key", "Token", null, List.of("old", "new"), null));
    assertThat(e.reject(name -> name.equalsIgnoreCase("x-api-key") ? "Token old" : null)).isNull();
    assertThat(e.reject(name -> name.equalsIgnoreCase("x-api-key") ? "Token new" : null)).isNull();
    assertThat(e.reject(authorization("Token old"))).startsWith("missing or empty authorization header");
    // A client sends the first.
    assertThat(e.headers()).containsExactly(Map.entry("X-Api-Key", "Token old"));
  }

  @Test
  void theFileIsReadAtStartAndAgainWhenItChanges() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first\n");
    BearerTokenAuthExtension e = start(new BearerTokenAuthConfig(null, null, "ignored", null, file.toString()));
    assertThat(e.reject(authorization("Bearer first"))).isNull();
    assertThat(e.reject(authorization("Bearer ignored"))).isNotNull();

    Files.writeString(file, "second\nthird\n");
    // Another time and size: the poller sees a change even on a filesystem with coarse timestamps.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    awaitAccepted(e, "Bearer second");
    assertThat(e.reject(authorization("Bearer third"))).isNull();
    assertThat(e.reject(authorization("Bearer first"))).isEqualTo("scheme or token does not match");
    assertThat(e.headers()).containsExactly(Map.entry("Authorization", "Bearer second"));

    // Emptied (a secret being rewritten): the tokens read before stay.
    Files.writeString(file, "");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    Thread.sleep(3 * BearerTokenAuthExtension.POLL_MILLIS);
    assertThat(e.reject(authorization("Bearer second"))).isNull();
  }

  @Test
  void aMissingOrEmptyFileFailsTheStart() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> start(new BearerTokenAuthConfig(null, null, null, null, missing.toString())))
        .isInstanceOf(IOException.class).hasMessageContaining("nope");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> start(new BearerTokenAuthConfig(null, null, null, null, empty.toString())))
        .hasMessage("extensions.bearertokenauth.filename: " + empty + " has no token");
  }

  private static void awaitAccepted(BearerTokenAuthExtension e, String value) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (e.reject(authorization(value)) != null) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the rewritten token file was not read again");
      }
      Thread.sleep(50);
    }
  }
}
