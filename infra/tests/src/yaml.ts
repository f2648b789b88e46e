import { parseAllDocuments } from 'yaml';

/** Every non-empty document of a YAML stream; throws on the first syntax error. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text);
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function parseYaml(text: string, source: string): unknown {
  const docs = parseYamlDocuments(text, source);
  if (docs.length !== 1) throw new Error(`${source}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}
