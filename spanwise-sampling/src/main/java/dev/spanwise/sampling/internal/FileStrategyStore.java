package dev.spanwise.sampling.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategies of a strategies file, reloaded when its content changes. The first load happens
 * in the constructor and throws on any problem; later ones ({@link #reloadIfChanged()}, called
 * every few seconds) keep the previous strategies on a problem, log one warning per bad version
 * of the file and count it.
 */
public final class FileStrategyStore {
  private static final Logger logger = LoggerFactory.getLogger(FileStrategyStore.class);

  private final Path path;
  private final SamplingMetrics metrics;
  private volatile FileStrategies strategies;
  private byte[] lastDigest;
  private byte[] lastFailedDigest;
  private String lastFailure;

  /** Loads {@code path} now. @throws IllegalArgumentException naming the file and the field */
  public FileStrategyStore(Path path, SamplingMetrics metrics) {
    this.path = Objects.requireNonNull(path, "path");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("sampling strategies file " + path + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "sampling strategies file " + path + " cannot be read: " + e.getMessage());
    }
    try {
      this.strategies = StrategiesFileParser.parse(content);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "sampling strategies file " + path + ": " + e.getMessage(), e);
    }
    this.lastDigest = digest(content);
    logger.info("Sampling strategies loaded from {}: {} service strategies",
        path, strategies.services().size());
  }

  public Path path() {
    return path;
  }

  public FileStrategies strategies() {
    return strategies;
  }

  /** The last reload problem, or null when the current file is the one being served. */
  public synchronized String lastFailure() {
    return lastFailure;
  }

  /**
   * Reads the file and, if its content changed, parses and serves it. Returns true when new
   * strategies are served.
   */
  public synchronized boolean reloadIfChanged() {
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (IOException e) {
      fail(null, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      return false;
    }
    byte[] digest = digest(content);
    if (Arrays.equals(digest, lastDigest)) {
      lastFailedDigest = null;
      lastFailure = null;
      return false;
    }
    if (Arrays.equals(digest, lastFailedDigest)) return false;
    FileStrategies parsed;
    try {
      parsed = StrategiesFileParser.parse(content);
    } catch (IllegalArgumentException e) {
      fail(digest, e.getMessage());
      return false;
    }
    strategies = parsed;
    lastDigest = digest;
    lastFailedDigest = null;
    lastFailure = null;
    metrics.fileReload(true);
    logger.info("Sampling strategies reloaded from {}: {} service strategies",
        path, parsed.services().size());
    return true;
  }

  private void fail(byte[] digest, String message) {
    if (digest == null && lastFailure != null && lastFailedDigest == null) return;
    lastFailedDigest = digest;
    lastFailure = message;
    metrics.fileReload(false);
    logger.warn("Sampling strategies file {} not reloaded, previous strategies kept: {}",
        path, message);
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
