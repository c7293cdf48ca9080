/**
 * The {@code basicauth} extension, as the Collector's contrib {@code basicauthextension}: on a
 * server, HTTP Basic credentials checked against htpasswd entries (bcrypt, SHA1, salted SHA1 or
 * plain text); on a client, a username and password sent with every request.
 */
@NullMarked
package dev.inflight.extension.basicauth;

import org.jspecify.annotations.NullMarked;
