/**
 * Configuration types shared by every component: the config record contract, problems with their
 * YAML paths, the {@code service} section, durations and sizes. Loading YAML is the config module's.
 */
@NullMarked
package dev.inflight.component.config;

import org.jspecify.annotations.NullMarked;
