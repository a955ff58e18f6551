package dev.spanwise.codec.internal;

import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans grouped by resource, then by scope, each in first-seen order: the shape of OTLP's
 * {@code ResourceSpans}/{@code ScopeSpans}. Private to this module.
 */
public final class SpanGroups {

  public static List<ResourceGroup> group(List<Span> spans) {
    List<ResourceGroup> groups = new ArrayList<>();
    Map<Resource, ResourceGroup> byResource = new HashMap<>();
    ResourceGroup lastGroup = null;
    for (int i = 0, n = spans.size(); i < n; i++) {
      Span span = spans.get(i);
      Resource resource = span.resource();
      ResourceGroup group;
      if (lastGroup != null && lastGroup.resource == resource) {
        group = lastGroup; // spans of one batch usually share the resource instance
      } else {
        group = byResource.get(resource);
        if (group == null) {
          group = new ResourceGroup(resource);
          byResource.put(resource, group);
          groups.add(group);
        }
        lastGroup = group;
      }
      group.add(span);
    }
    return groups;
  }

  /** The spans of one resource, by scope. */
  public static final class ResourceGroup {
    private final Resource resource;
    private final List<ScopeGroup> scopes = new ArrayList<>(2);
    private ScopeGroup lastScope;

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }

    public Resource resource() {
      return resource;
    }

    public List<ScopeGroup> scopes() {
      return scopes;
    }

    void add(Span span) {
      InstrumentationScope scope = span.scope();
      if (lastScope == null || (lastScope.scope != scope && !lastScope.scope.equals(scope))) {
        lastScope = null;
        for (ScopeGroup g : scopes) {
          if (g.scope.equals(scope)) {
            lastScope = g;
            break;
          }
        }
        if (lastScope == null) {
          lastScope = new ScopeGroup(scope);
          scopes.add(lastScope);
        }
      }
      lastScope.spans.add(span);
    }
  }

  /** The spans of one scope within one resource. */
  public static final class ScopeGroup {
    private final InstrumentationScope scope;
    private final List<Span> spans = new ArrayList<>();

    ScopeGroup(InstrumentationScope scope) {
      this.scope = scope;
    }

    public InstrumentationScope scope() {
      return scope;
    }

    public List<Span> spans() {
      return spans;
    }
  }

  private SpanGroups() {}
}
