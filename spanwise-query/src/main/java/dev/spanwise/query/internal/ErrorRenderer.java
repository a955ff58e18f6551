package dev.spanwise.query.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;

/** Renders an error in one API's own shape. */
@FunctionalInterface
public interface ErrorRenderer {
  /**
   * @param parameter the request parameter at fault, or null when none is
   * @param message the full message, naming the parameter when there is one
   */
  HttpResponse render(ServiceRequestContext ctx, HttpStatus status, String parameter,
      String message);
}
