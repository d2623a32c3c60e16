/**
 * The GraphiQL page the hub serves itself, so that it works on a machine with no internet access:
 * `@graphql-yoga/render-graphiql` inlines GraphiQL's scripts, styles and editor workers (about
 * 9 MB). It is rendered once per set of options and kept, with its gzip form, in memory.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const gzipAsync = promisify(gzip);

export interface GraphiqlOptions {
  /** Shown in the editor when the browser has no saved tabs yet. */
  defaultQuery?: string;
  /** Put in the headers editor, e.g. a demo bearer token. */
  headers?: Record<string, string>;
}

export interface GraphiqlPage {
  html: Buffer;
  /** Strong validator for conditional GETs: the page is large and never changes while the hub runs. */
  etag: string;
  /** Compressed once, on first use, off the event loop. */
  gzipped(): Promise<Buffer>;
}

/** Where the page sends its requests: the hub's own origin, so `connect-src 'self'` holds. */
export const GRAPHQL_PATH = '/graphql';

/** Also written into <title> by the renderer, unescaped: keep it free of markup. */
const TITLE = 'Weijiu Hub · GraphiQL';

const rendered = new Map<string, GraphiqlPage>();

export function graphiqlPage(options: GraphiqlOptions = {}, endpoint = GRAPHQL_PATH): GraphiqlPage {
  const yogaOptions = {
    title: TITLE,
    endpoint,
    ...(options.defaultQuery !== undefined && { defaultQuery: options.defaultQuery }),
    ...(options.headers !== undefined && { headers: JSON.stringify(options.headers, null, 2) }),
  };
  const key = JSON.stringify(yogaOptions);
  let page = rendered.get(key);
  if (!page) {
    page = buildPage(yogaOptions);
    rendered.set(key, page);
  }
  return page;
}

function buildPage(yogaOptions: Record<string, string>): GraphiqlPage {
  // renderGraphiQL writes its options into an inline <script> with plain JSON.stringify, so a query
  // or header containing "</script>" would end the script early. Render with a marker and put in
  // JSON that cannot close the tag. (The title is also used outside the script, so it goes in as is.)
  const marker = { title: TITLE, __weijiuGraphiqlOptions__: true };
  const template = renderGraphiQL(marker as Parameters<typeof renderGraphiQL>[0]);
  const markerJson = JSON.stringify(marker);
  const at = template.lastIndexOf(markerJson);
  if (at < 0) throw new Error('@graphql-yoga/render-graphiql no longer inlines its options as JSON; the page cannot be configured');
  const text = template.slice(0, at) + scriptSafeJson(yogaOptions) + template.slice(at + markerJson.length);
  const html = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
  let compressed: Promise<Buffer> | undefined;
  return {
    html,
    etag,
    gzipped() {
      compressed ??= gzipAsync(html, { level: 6 });
      return compressed;
    },
  };
}

/** JSON that is also safe inside an HTML <script> element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
