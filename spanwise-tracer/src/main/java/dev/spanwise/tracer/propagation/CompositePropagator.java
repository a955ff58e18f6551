package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Context;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

final class CompositePropagator implements TextMapPropagator {
  static final CompositePropagator NOOP = new CompositePropagator(Collections.emptyList());

  private final List<TextMapPropagator> propagators;
  private final Collection<String> fields;

  CompositePropagator(List<TextMapPropagator> propagators) {
    this.propagators = propagators;
    Set<String> all = new LinkedHashSet<>();
    for (TextMapPropagator p : propagators) {
      all.addAll(p.fields());
    }
    this.fields = Collections.unmodifiableSet(all);
  }

  List<TextMapPropagator> propagators() {
    return propagators;
  }

  @Override
  public Collection<String> fields() {
    return fields;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    for (TextMapPropagator p : propagators) {
      p.inject(context, carrier, setter);
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    Context result = context;
    for (TextMapPropagator p : propagators) {
      result = p.extract(result, carrier, getter);
    }
    return result;
  }

  @Override
  public String toString() {
    return "CompositePropagator" + propagators;
  }
}
