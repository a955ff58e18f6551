package dev.spanwise.benchmarks.load;

import java.util.Map;

/** One running process of a service: the OTLP resource of the spans it emits. */
record ServiceInstance(String service, String instanceId, String hostName, String ipv4,
    Map<String, Object> resourceAttributes) {}
