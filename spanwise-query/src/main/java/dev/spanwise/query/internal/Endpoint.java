package dev.spanwise.query.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;

/** One GET route's logic; {@link Routes#service} runs it and maps its exceptions. */
@FunctionalInterface
public interface Endpoint {
  HttpResponse serve(ServiceRequestContext ctx, Params params) throws IOException;
}
