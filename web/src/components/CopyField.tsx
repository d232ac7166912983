import { useId, useState } from 'react';

/**
 * A read-only URL with a copy button; says whether copying worked (clipboard access can be refused). `copyLabel`
 * names the button (distinct per field, so two fields on a page never share a name).
 */
export function CopyField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()} aria-label={copyLabel}>
          Copy
        </button>
      </div>
      <span role="status" aria-live="polite" className="muted">
        {copied === 'done' && 'Copied.'}
        {copied === 'failed' && 'Copying was refused by the browser; select the address and copy it.'}
      </span>
    </div>
  );
}
