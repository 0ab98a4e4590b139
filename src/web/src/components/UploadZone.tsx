import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { uploadPackage } from '../api-client.js';
import type { UploadIssue, UploadResult } from '../api-types.js';
import { ErrorBox } from './ErrorBox.js';

/** Issues grouped by the file inside the package they concern. */
const byFile = (issues: readonly UploadIssue[]): [string, UploadIssue[]][] => {
  const m = new Map<string, UploadIssue[]>();
  for (const i of issues) m.set(i.file || '(package)', [...(m.get(i.file || '(package)') ?? []), i]);
  return [...m];
};

/**
 * Drop a package (.tgo, .son, .zip, .csar) here, or pick one: uploads it to `/packages`
 * and shows either the on-boarded NSD or every validation issue, per file and field.
 */
export function UploadZone({ onUploaded }: { readonly onUploaded: (nsdInfoId: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<(UploadResult & { name: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);

  const send = async (file: File): Promise<void> => {
    setBusy(file.name);
    setError(null);
    setResult(null);
    try {
      const r = await uploadPackage(file);
      setResult({ ...r, name: file.name });
      if (r.ok) onUploaded(r.nsdInfoId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void send(f);
  };

  return (
    <section className="card">
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') input.current?.click(); }}
      >
        {busy ? <p>Uploading <b>{busy}</b>…</p> : <p><b>Drop a package here</b> (.tgo, .son, .csar, .zip) or click to choose one.</p>}
        <input
          ref={input}
          type="file"
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void send(f);
            e.target.value = '';
          }}
        />
      </div>
      <ErrorBox error={error} />
      {result?.ok && (
        <p className="ok-text" data-testid="upload-ok">
          {result.name} on-boarded ({result.size} bytes, sha1 <span className="mono">{result.sha1.slice(0, 12)}</span>).
        </p>
      )}
      {result && !result.ok && (
        <div className="issues" data-testid="upload-issues">
          <p className="error-text">
            {result.name} was rejected: {result.code} — {result.detail}
          </p>
          {byFile(result.issues).map(([file, issues]) => (
            <div key={file} className="issue-file">
              <h4 className="mono">{file}</h4>
              <table>
                <tbody>
                  {issues.map((i, n) => (
                    <tr key={n} data-testid="upload-issue">
                      <td className="mono">{i.path || '/'}</td>
                      <td>{i.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
