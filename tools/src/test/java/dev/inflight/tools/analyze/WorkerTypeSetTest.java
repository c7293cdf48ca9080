package dev.inflight.tools.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerTypeSetTest {
  @Test
  void parsesTheCommandLineForm() {
    assertThat(WorkerTypeSet.parse("db=db *,sql *:16")).isEqualTo(new WorkerType("db", List.of("db *", "sql *"), 16.0, null));
    assertThat(WorkerTypeSet.parse("q=queue wait*")).isEqualTo(new WorkerType("q", List.of("queue wait*"), null, null));
    assertThat(WorkerTypeSet.parse("r=regex:a{1,2}b:2.5")).isEqualTo(new WorkerType("r", List.of("regex:a{1,2}b"), 2.5, null));
    assertThat(WorkerTypeSet.parse("w=GET host\\:8080").match()).containsExactly("GET host\\:8080");
    assertThatThrownBy(() -> WorkerTypeSet.parse("=x")).hasMessageContaining("NAME=GLOB");
    assertThatThrownBy(() -> WorkerTypeSet.parse("a=")).hasMessage("worker type \"a\" has no pattern after '='");
    assertThatThrownBy(() -> WorkerTypeSet.parse("a=x:0")).hasMessageContaining("capacity must be greater than 0");
  }

  @Test
  void firstMatchWinsAndServicesFilter() {
    WorkerTypeSet set = WorkerTypeSet.of(List.of(
        new WorkerType("checkout_db", List.of("db *"), null, List.of("checkout")),
        WorkerType.of("db", "db *", "sql *"),
        WorkerType.of("any_db", "db*")));
    assertThat(set.typeOf("db query", "checkout")).isZero();
    assertThat(set.typeOf("db query", "accounts")).isEqualTo(1);
    assertThat(set.typeOf("db query", null)).isEqualTo(1);
    assertThat(set.typeOf("dbx", null)).isEqualTo(2);
    assertThat(set.typeOf("http", null)).isEqualTo(-1);
    assertThat(set.filtersServices()).isTrue();
  }

  @Test
  void byNameMakesATypePerName() {
    WorkerTypeSet set = WorkerTypeSet.byName();
    assertThat(set.typeOf("a", null)).isZero();
    assertThat(set.typeOf("b", null)).isEqualTo(1);
    assertThat(set.typeOf("a", "svc")).isZero();
    assertThat(set.size()).isEqualTo(2);
    assertThat(set.name(1)).isEqualTo("b");
  }
}
