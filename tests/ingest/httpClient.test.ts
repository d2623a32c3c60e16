/**
 * A registry's unexpected answer becomes a sync run's error, which operators (ADMIN) read: it says
 * what came back (status, content type, size, the registry's own error message) and never quotes
 * the body, which can hold names and ID numbers in spellings no masker recognises.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchJson } from '../../src/ingest/httpClient';

const PERSON_PAGE = JSON.stringify({ persons: [{ name: '欧阳春花', idCard: '37108219411012', grade: 2 }] }).slice(0, -3);

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answers: Record<string, [number, string, string]> = {
      '/broken': [200, 'application/json', PERSON_PAGE],
      '/refused': [400, 'application/json', JSON.stringify({ error: 'page_size must be at most 500', rows: [{ xm: '张三丰', sfzh: '371082194110122357' }] })],
      '/forbidden': [403, 'text/plain; charset=utf-8', '张三丰 371082 19411012 2357 无权访问'],
    };
    const [status, type, body] = answers[req.url ?? ''] ?? [404, 'text/plain', 'no'];
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function errorOf(path: string): Promise<string> {
  try {
    await fetchJson(`${base}${path}`, {}, { retries: 0, baseDelayMs: 1 });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the request succeeded');
}

describe("a registry's unexpected answer, as a sync run's error says it", () => {
  it('names what a broken page was, not what it held', async () => {
    const message = await errorOf('/broken');
    expect(message).toMatch(/the response is not JSON \(application\/json, \d+ bytes\)/);
    expect(message).not.toMatch(/欧阳|春花|19411012|3710821941/);
  });

  it("quotes a refusal's own error message and nothing else of the body", async () => {
    const message = await errorOf('/refused');
    expect(message).toMatch(/HTTP 400 \(application\/json, \d+ bytes: "page_size must be at most 500"\)/);
    expect(message).not.toMatch(/张三丰|2357/);
  });

  it('does not quote a text refusal', async () => {
    const message = await errorOf('/forbidden');
    expect(message).toMatch(/HTTP 403 \(text\/plain, \d+ bytes\)$/);
    expect(message).not.toMatch(/张|19411012/);
  });
});
