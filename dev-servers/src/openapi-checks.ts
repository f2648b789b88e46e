import type { OpenApiDocument } from '@ticketing/common';

/** What the checks need of a supertest agent (`request(app)`), so this package does not depend on supertest. */
interface HttpGetter {
  get(path: string): PromiseLike<{ status: number; body: unknown; text: string }>;
}

type Operation = { responses: Record<string, { headers?: object; content?: object }> };

/** Jest assertions: `method path` documents a 429 with Retry-After, in the error contract. */
export function expectRateLimitDocumented(doc: OpenApiDocument, path: string, method = 'post'): void {
  const tooMany = (doc.paths[path] as Record<string, Operation>)[method].responses[429];
  expect(tooMany.headers).toHaveProperty('Retry-After');
  expect(tooMany.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } });
}

/** Jest assertions: `<base>/openapi.json` serves exactly `doc`, and Swagger UI answers at `<base>/docs/`. */
export async function expectDocumentServed(http: HttpGetter, base: string, doc: OpenApiDocument): Promise<void> {
  const served = await http.get(`${base}/openapi.json`);
  expect(served.status).toBe(200);
  expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
  const ui = await http.get(`${base}/docs/`);
  expect(ui.status).toBe(200);
  expect(ui.text).toContain('swagger-ui');
}
