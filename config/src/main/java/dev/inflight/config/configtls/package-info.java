/** TLS helpers shared by receivers and exporters: reading PEM certificates and keys. */
package dev.inflight.config.configtls;
