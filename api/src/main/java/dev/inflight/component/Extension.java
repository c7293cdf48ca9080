package dev.inflight.component;

/**
 * Something beside the pipelines (health check, query API, auth). Started before every pipeline
 * component and stopped after them; told when the pipelines are ready and when they stop being so.
 */
public interface Extension extends Component {
  /** Every pipeline component has started. */
  default void pipelinesReady() {}

  /** The pipelines are about to shut down. */
  default void pipelinesNotReady() {}
}
