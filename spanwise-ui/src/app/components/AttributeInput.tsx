import { useEffect, useId, useState } from 'react';
import { api } from '../api';

/**
 * One `key=value` attribute filter with autocomplete: keys from the API until `=` is typed, then
 * the known values of that key.
 */
export function AttributeInput({
  value, keys, onChange, onRemove,
}: { value: string; keys: string[]; onChange: (v: string) => void; onRemove: () => void }) {
  const listId = useId();
  const [values, setValues] = useState<string[]>([]);
  const eq = value.indexOf('=');
  const key = eq > 0 ? value.slice(0, eq) : '';
  const prefix = eq > 0 ? value.slice(eq + 1) : '';
  useEffect(() => {
    if (!key) { setValues([]); return; }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.attributeValues(key, prefix, ctl.signal).then(setValues, () => setValues([]));
    }, 150);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [key, prefix]);
  const options = key
    ? values.map((v) => `${key}=${v}`)
    : keys.filter((k) => k.toLowerCase().includes(value.toLowerCase())).slice(0, 200);
  return (
    <span className="attr-input">
      <input
        type="text"
        list={listId}
        value={value}
        placeholder="key=value"
        aria-label="Attribute filter"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {options.map((o) => <option key={o} value={o} />)}
      </datalist>
      <button type="button" className="icon" title="Remove this filter" onClick={onRemove}>×</button>
    </span>
  );
}
