package dev.inflight.extension.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web page's files, from the jar: the page itself, and uPlot from its WebJar (the npm package
 * {@code uplot}, byte for byte, pinned in the parent pom), so the page works offline; and the
 * timeline viewer, one self-contained file.
 */
final class WebAssets {
  private static final String PAGE = "/dev/inflight/extension/query/web/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");

  record Asset(String contentType, byte[] bytes) {}

  private final String vendor;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  WebAssets() {
    Properties p = new Properties();
    try (InputStream in = WebAssets.class.getResourceAsStream(PAGE + "web.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    vendor = "/META-INF/resources/webjars/uplot/" + p.getProperty("uplot.version", "unknown") + "/dist/";
  }

  byte[] index() throws java.io.IOException {
    return page("index.html");
  }

  byte[] viewer() throws java.io.IOException {
    return page("viewer.html");
  }

  private byte[] page(String name) throws java.io.IOException {
    Asset a = asset(name);
    if (a == null) {
      throw new java.io.FileNotFoundException(name + " is missing from the jar");
    }
    return a.bytes();
  }

  /** A file under {@code /ui/}; null when there is none. */
  Asset asset(String name) {
    if (name.isEmpty() || name.contains("..") || name.contains("//") || name.startsWith("/")) {
      return null;
    }
    return cache.computeIfAbsent(name, this::load);
  }

  private Asset load(String name) {
    String resource;
    if (name.startsWith("vendor/")) {
      String file = name.substring("vendor/".length());
      if (!file.equals("uPlot.iife.min.js") && !file.equals("uPlot.min.css")) {
        return null;
      }
      resource = vendor + file;
    } else {
      resource = PAGE + name;
    }
    try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      return new Asset(TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
