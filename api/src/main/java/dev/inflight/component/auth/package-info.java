/**
 * What auth extensions are to the components that use them, as the Collector's {@code
 * extension/extensionauth}: a {@link dev.inflight.component.auth.ServerAuthenticator} checks the
 * headers of each request a server receives, a {@link
 * dev.inflight.component.auth.ClientAuthenticator} gives the headers each request a client sends
 * carries. A component names one by id ({@code auth: {authenticator: <id>}}) and finds it through
 * {@link dev.inflight.component.Host#extension(dev.inflight.component.ComponentId)} when it starts;
 * config validation checks the reference through {@link
 * dev.inflight.component.auth.AuthenticatorReference}. Everything here is non-null unless
 * documented otherwise.
 */
@NullMarked
package dev.inflight.component.auth;

import org.jspecify.annotations.NullMarked;
