package dev.inflight.exporterhelper;

import dev.inflight.component.Component;
import dev.inflight.component.Host;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The component an exporter under test delegates its lifecycle to: it only logs the calls, in order. */
final class LifecycleLog implements Component {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void start(Host host) {
    calls.add("start");
  }

  @Override
  public void shutdown() {
    calls.add("shutdown");
  }
}
