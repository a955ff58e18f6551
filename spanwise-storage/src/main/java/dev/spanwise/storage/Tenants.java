package dev.spanwise.storage;

/** Tenancy: every batch and query carries a tenant id; this one while tenancy is off. */
public final class Tenants {
  public static final String DEFAULT = "default";

  private Tenants() {}
}
