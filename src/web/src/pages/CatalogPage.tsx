import { useState } from 'react';
import type { FormEvent } from 'react';
import { createNs, listPackages, nsdText, vnfdText } from '../api-client.js';
import type { DescriptorSummary } from '../api-types.js';
import { useAsync } from '../use-async.js';
import { navigate } from '../router.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { StateBadge } from '../components/StateBadge.js';
import { UploadZone } from '../components/UploadZone.js';

type Shown = { readonly kind: 'nsd' | 'vnfd'; readonly d: DescriptorSummary };

/** Packages, their NSDs and VNFDs; upload by drag and drop; descriptor as YAML; create an NS. */
export function CatalogPage() {
  const packages = useAsync(listPackages, []);
  const [shown, setShown] = useState<Shown | null>(null);
  const yaml = useAsync(async () => (shown ? (shown.kind === 'nsd' ? nsdText(shown.d.id) : vnfdText(shown.d.id)) : ''), [shown]);

  return (
    <div className="page">
      <h2>Catalog</h2>
      <UploadZone onUploaded={() => packages.reload()} />
      <ErrorBox error={packages.error} />
      <div className="split">
        <section className="card" data-testid="packages">
          {packages.value?.length === 0 && <p className="muted">No packages yet. Drop one above, or build and on-board the example chain: <code>rondo package build examples/tango-chain -o chain.tgo</code> then <code>rondo package onboard chain.tgo</code>.</p>}
          {packages.value?.map((p) => (
            <div key={p.id} className="package" data-testid="package">
              <h3>
                {p.vendor}/{p.name} <span className="muted">{p.version}</span> <span className="tag">{p.format}</span>
              </h3>
              {p.description && <p className="muted">{p.description}</p>}
              <table>
                <thead><tr><th>kind</th><th>descriptor</th><th>file</th><th>state</th><th /></tr></thead>
                <tbody>
                  {p.nsds.map((d) => (
                    <tr key={d.id} data-testid="nsd-row" data-nsd-id={d.id}>
                      <td><span className="tag">NSD</span></td>
                      <td><button className="linkish" onClick={() => setShown({ kind: 'nsd', d })}>{d.name} {d.version}</button></td>
                      <td className="mono">{d.file}</td>
                      <td><StateBadge state={d.onboardingState} /> <StateBadge state={d.operationalState} /> <StateBadge state={d.usageState} /></td>
                      <td><CreateNs nsd={d} /></td>
                    </tr>
                  ))}
                  {p.vnfds.map((d) => (
                    <tr key={d.id} data-testid="vnfd-row">
                      <td><span className="tag">VNFD</span></td>
                      <td><button className="linkish" onClick={() => setShown({ kind: 'vnfd', d })}>{d.name} {d.version}</button></td>
                      <td className="mono">{d.file}</td>
                      <td><StateBadge state={d.onboardingState} /> <StateBadge state={d.operationalState} /> <StateBadge state={d.usageState} /></td>
                      <td />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
        <section className="card yaml-card">
          {shown ? (
            <>
              <h3>{shown.kind.toUpperCase()} {shown.d.vendor}/{shown.d.name} {shown.d.version}</h3>
              <ErrorBox error={yaml.error} />
              <pre className="yaml" data-testid="descriptor-yaml">{yaml.value}</pre>
            </>
          ) : (
            <p className="muted">Pick a descriptor to read it.</p>
          )}
        </section>
      </div>
    </div>
  );
}

/** "New NS" for one NSD: a name, then create and go to its page. */
function CreateNs({ nsd }: { readonly nsd: DescriptorSummary }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(`${nsd.name}-1`);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      const ns = await createNs(nsd.id, name, `created from the dashboard`);
      navigate(`/ns/${ns.id}`);
    } catch (err) {
      setError(err);
    }
  };
  if (!open) return <button onClick={() => setOpen(true)} data-testid="create-ns">New NS…</button>;
  return (
    <form className="inline" onSubmit={(e) => void submit(e)}>
      <input value={name} onChange={(e) => setName(e.target.value)} data-testid="ns-name" required aria-label="NS name" />
      <button type="submit" data-testid="create-ns-submit">Create</button>
      <ErrorBox error={error} />
    </form>
  );
}
