/**
 * Collector YAML to config records: several {@code --config} sources merged, {@code ${env:VAR}}
 * expanded, {@code --set} applied, each component's block bound to its factory's config record and
 * validated, the pipelines checked; every problem reported with its file, line and key.
 */
@NullMarked
package dev.inflight.service.config;

import org.jspecify.annotations.NullMarked;
