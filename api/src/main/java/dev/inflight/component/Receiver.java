package dev.inflight.component;

/** Turns a transport into data and pushes it to its next consumer. */
public interface Receiver extends Component {}
