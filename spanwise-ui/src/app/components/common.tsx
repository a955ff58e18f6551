import { useState, type ReactNode } from 'react';

/** Copies `text` to the clipboard; says "copied" for a moment. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      title={`Copy ${label.toLowerCase() === 'copy' ? 'value' : label}`}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1200);
        });
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

export const LONG_VALUE_LIMIT = 240;

/** A value shown as text, truncated past `limit` characters with an expander. */
export function LongValue({ value, limit = LONG_VALUE_LIMIT }: { value: string; limit?: number }) {
  const [open, setOpen] = useState(false);
  if (value.length <= limit) return <span className="value">{value}</span>;
  return (
    <span className="value">
      {open ? value : value.slice(0, limit) + '…'}{' '}
      <button type="button" className="link" onClick={() => setOpen(!open)}>
        {open ? 'show less' : `show all ${value.length.toLocaleString()} characters`}
      </button>
    </span>
  );
}

export function ErrorBox({ error, title = 'The API answered with an error' }: { error: Error; title?: string }) {
  const status = (error as { status?: number }).status;
  return (
    <div className="notice error" role="alert">
      <strong>{title}{status ? ` (HTTP ${status})` : ''}</strong>
      <p className="message">{error.message}</p>
      <p className="hint">
        {status === 400
          ? 'Change the field it names and try again.'
          : status === 404
            ? 'Check the id, or the time range it was searched in.'
            : 'Check that the Spanwise server is running and reachable, then reload.'}
      </p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <div className="loading" aria-busy="true">Loading {what}…</div>;
}

const CURL_EXAMPLE = `now=$(date +%s%N)
curl -X POST http://localhost:4318/v1/traces \\
  -H 'Content-Type: application/json' \\
  -d '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"hello"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /hello","kind":2,"startTimeUnixNano":"'$now'","endTimeUnixNano":"'$((now+25000000))'"}]}]}]}'`;

/** What to do when Spanwise has no spans yet. */
export function NoDataYet({ children }: { children?: ReactNode }) {
  return (
    <div className="notice empty">
      <h2>No traces yet</h2>
      <p>
        Spanwise has not received any spans. Point an OpenTelemetry SDK or collector at the OTLP
        endpoint <code>http://localhost:4318</code> (HTTP) or <code>localhost:4317</code> (gRPC), or
        send one span by hand:
      </p>
      <pre className="code">{CURL_EXAMPLE}</pre>
      <CopyButton text={CURL_EXAMPLE} label="Copy command" />
      <p>
        Or load the demo trace from the repository: <code>mvn -q -pl examples/seed exec:java</code>.
        Then search again.
      </p>
      {children}
    </div>
  );
}
