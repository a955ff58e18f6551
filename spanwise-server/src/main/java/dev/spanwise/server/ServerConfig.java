package dev.spanwise.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/** Validated settings of one server process. */
record ServerConfig(
    InetAddress bindAddress,
    int otlpGrpcPort,
    int otlpHttpPort,
    int zipkinPort,
    int queryPort,
    int jaegerThriftHttpPort,
    int jaegerGrpcPort,
    int jaegerCompactPort,
    int jaegerBinaryPort,
    int udpMaxPacketBytes,
    int samplingHttpPort,
    int samplingGrpcPort,
    Path samplingStrategiesFile,
    Duration samplingReloadInterval,
    double samplingTargetTps,
    Duration samplingRecomputeInterval,
    Path dataDir,
    Duration retention,
    long maxBodyBytes,
    long maxInflightBytes,
    long maxQueuedBytes,
    long maxIndexLagBytes) {}
