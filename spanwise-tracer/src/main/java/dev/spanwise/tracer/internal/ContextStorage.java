package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Thread-local storage of the current span and baggage as a stack of scopes. Closing a scope
 * that is not the newest marks it closed; the current context is always the newest scope still
 * open, so out-of-order closes cannot leave a stale span current.
 */
public final class ContextStorage {
  private static final Logger LOG = Logger.getLogger(ContextStorage.class.getName());
  private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(Holder::new);

  private ContextStorage() {}

  static final class Holder {
    final Thread owner = Thread.currentThread();
    Frame top;
  }

  static final class Frame implements Scope {
    final Holder holder;
    final Span span;
    final Baggage baggage;
    final Frame previous;
    boolean closed;
    Context context;

    Frame(Holder holder, Span span, Baggage baggage, Frame previous) {
      this.holder = holder;
      this.span = span;
      this.baggage = baggage;
      this.previous = previous;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (holder.owner != Thread.currentThread()) {
        LOG.log(Level.FINE, "scope closed on a thread other than the one that opened it; ignored");
        return;
      }
      closed = true;
      if (holder.top == this) {
        Frame f = previous;
        while (f != null && f.closed) {
          f = f.previous;
        }
        holder.top = f;
      } else if (LOG.isLoggable(Level.FINE)) {
        LOG.log(Level.FINE, "scope closed out of order; the newest open scope stays current");
      }
    }
  }

  /** The current span, or null. */
  public static Span currentSpan() {
    Frame top = HOLDER.get().top;
    return top == null ? null : top.span;
  }

  /** The current baggage, never null. */
  public static Baggage currentBaggage() {
    Frame top = HOLDER.get().top;
    return top == null ? Baggage.empty() : top.baggage;
  }

  /** The current context (root when nothing is current). */
  public static Context current() {
    Frame top = HOLDER.get().top;
    if (top == null) {
      return Context.root();
    }
    Context context = top.context;
    if (context == null) {
      context = Context.root().with(top.span).with(top.baggage);
      top.context = context;
    }
    return context;
  }

  /** Makes {@code span} (null for none) and {@code baggage} current until the scope closes. */
  public static Scope attach(Span span, Baggage baggage) {
    Holder holder = HOLDER.get();
    Frame frame = new Frame(holder, span, baggage == null ? Baggage.empty() : baggage, holder.top);
    holder.top = frame;
    return frame;
  }
}
