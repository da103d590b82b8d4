/**
 * The simulator refuses hostile and malformed requests as Gaia (a FastAPI service behind
 * the Helios gateway, docs/gaia-api.md §Errors) would, instead of making sense of them:
 * bodies that are not JSON or do not say so, bodies too large, paging tokens it did not
 * give, values of the wrong type. Raw requests, so the client's habits cannot hide a gap.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { KEY_SERVICE_PATH } from '../gaia-sim/server';
import { useRawSimulator } from '../support/sim-raw';

const at = useRawSimulator();
const { raw } = at;

const ASK = { datasetNames: ['Café Ops'], queryString: 'Who delivers the croissants?' };
type Page = { datasets: Array<{ name: string; numObjects: number }>; paginationToken?: string };

describe('bodies that are not JSON', () => {
  it('malformed JSON is a 422 with the decoder’s position, as FastAPI answers it', async () => {
    const res = await raw('POST', '/ask', { body: '{"queryString": "hi", "datasetNames": [' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ detail: [{ loc: ['body', expect.any(Number)], type: 'value_error.jsondecode' }] });
    const keys = await raw('POST', `${KEY_SERVICE_PATH}/`, { atOrigin: true, body: '{config:' });
    expect(keys.status).toBe(422);
    expect(keys.body).toMatchObject({ detail: [{ type: 'value_error.jsondecode' }] });
  });

  it('routing comes first: malformed JSON to an unknown path is a 404, to a known one with the wrong method a 405', async () => {
    expect((await raw('POST', '/nowhere', { body: '{oops' })).status).toBe(404);
    expect((await raw('PUT', '/ask', { body: '{oops' })).status).toBe(405);
  });

  it('a JSON body labelled as something else is not read as JSON (422); JSON with a charset, or unlabelled, is', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await raw('POST', '/ask', { body: ASK, contentType });
      expect(res.status, contentType).toBe(422);
      expect(res.body, contentType).toMatchObject({ detail: [{ loc: ['body'], type: 'type_error.dict' }] });
    }
    expect((await raw('POST', '/ask', { body: ASK, contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect((await raw('POST', '/ask', { body: ASK, contentType: null })).status).toBe(200);
  });

  it('a body over the limit is a JSON 413 — declared or streamed — and never reaches the endpoint', async () => {
    const before = at.sim.conversations.size;
    const huge = JSON.stringify({ ...ASK, queryString: 'x'.repeat(1024 * 1024 + 10) });
    const res = await raw('POST', '/ask', { body: huge });
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ message: expect.any(String) });
    // No declared length: the sim counts the bytes. It answers before the upload ends, so
    // the client may see the 413 or the connection closing under it; never a 200.
    const chunked = await request(`${at.sim.baseUrl}/ask`, {
      method: 'POST',
      dispatcher: at.dispatcher,
      headers: { apiKey: at.sim.demoKey, 'content-type': 'application/json' },
      body: Readable.from(Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20))),
    }).then(
      async (r) => {
        await r.body.text();
        return r.statusCode;
      },
      () => 'closed',
    );
    expect([413, 'closed']).toContain(chunked);
    expect(at.sim.conversations.size).toBe(before);
  });
});

describe('methods', () => {
  it('a wrong method is a 405 whose Allow names the right one; a path no route has is a 404; HEAD goes where GET goes', async () => {
    const res = await request(`${at.sim.baseUrl}/ask`, { method: 'GET', dispatcher: at.dispatcher, headers: { apiKey: at.sim.demoKey } });
    await res.body.text();
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    const keys = await request(`${at.sim.origin}${KEY_SERVICE_PATH}/some-key`, { method: 'DELETE', dispatcher: at.dispatcher, headers: { apiKey: at.sim.demoKey } });
    await keys.body.text();
    expect([keys.statusCode, keys.headers.allow]).toEqual([405, 'PUT']);
    expect((await raw('GET', '/datasets/not-a-route')).status).toBe(404);
    expect((await raw('GET', '/dataset/abc/nothing')).status).toBe(404);
    const head = await request(`${at.sim.baseUrl}/datasets?pageSize=1`, { method: 'HEAD', dispatcher: at.dispatcher, headers: { apiKey: at.sim.demoKey } });
    await head.body.text();
    expect(head.statusCode).toBe(200);
  });

  it('with decodedPathRouting, a %2F splits the path as Starlette splits it: a name with "/" has no details route', async () => {
    const path = `/dataset/${encodeURIComponent('Legal/Contracts 2024')}/details`;
    expect((await raw('GET', path)).status).toBe(200);
    at.sim.faults.set({ decodedPathRouting: true });
    try {
      expect(await raw('GET', path)).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
      expect((await raw('GET', `/dataset/${encodeURIComponent('Lab Results 100%')}/details`)).status).toBe(200);
    } finally {
      at.sim.faults.clear();
    }
  });

  it('a POST without a body is a 422 saying the body is required', async () => {
    const res = await raw('POST', '/ask', { contentType: null });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ detail: [{ loc: ['body'], type: 'value_error.missing' }] });
  });
});

describe('values of the wrong type are named as FastAPI names them', () => {
  it('ask: a number for the question, a string or numbers for the datasets', async () => {
    expect((await raw('POST', '/ask', { body: { ...ASK, queryString: 42 } })).body).toMatchObject({ detail: [{ loc: ['body', 'queryString'], type: 'type_error.str' }] });
    expect((await raw('POST', '/ask', { body: { ...ASK, datasetNames: 'Café Ops' } })).body).toMatchObject({ detail: [{ loc: ['body', 'datasetNames'], type: 'type_error.list' }] });
    expect((await raw('POST', '/ask', { body: { ...ASK, datasetNames: ['Café Ops', 7] } })).body).toMatchObject({ detail: [{ loc: ['body', 'datasetNames', 1], type: 'type_error.str' }] });
  });

  it('a dataset that does not exist is a 404 naming it; the list page size must be an integer below 100', async () => {
    const res = await raw('POST', '/ask', { body: { ...ASK, datasetNames: ['Café Ops', 'No Such Dataset'] } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Dataset 'No Such Dataset' not found.", errorCode: 'kNotFound' });
    expect((await raw('GET', '/datasets?pageSize=ten')).body).toMatchObject({ detail: [{ loc: ['query', 'pageSize'], type: 'type_error.integer' }] });
    expect((await raw('GET', '/datasets?pageSize=2.5')).status).toBe(422);
    expect((await raw('GET', '/datasets?pageSize=100')).status).toBe(422);
  });

  it('the key service checks the body before the key: a bad body for an unknown key is a 422, not a 404', async () => {
    const res = await raw('PUT', `${KEY_SERVICE_PATH}/no-such-key`, { atOrigin: true, body: { config: { permissions: 'admin' } } });
    expect(res.status).toBe(422);
    expect((await raw('PUT', `${KEY_SERVICE_PATH}/no-such-key`, { atOrigin: true, body: { config: { permissions: 'read' } } })).status).toBe(404);
  });
});

describe('paging tokens are opaque and belong to their listing', () => {
  it('a page walk with the tokens given reaches every dataset once, whatever the page size of each step', async () => {
    const all = (await raw('GET', '/datasets?pageSize=99')).body as Page;
    const names: string[] = [];
    let token: string | undefined;
    let size = 5;
    do {
      const page = (await raw('GET', `/datasets?pageSize=${size}${token ? `&paginationToken=${encodeURIComponent(token)}` : ''}`)).body as Page;
      names.push(...page.datasets.map((d) => d.name));
      token = page.paginationToken;
      size = size === 5 ? 7 : 5;
    } while (token);
    expect(names).toEqual(all.datasets.map((d) => d.name));
  });

  it('a token it did not give, or one replayed with other filters or another sort, is a 422', async () => {
    for (const forged of ['p_5', 'garbage', Buffer.from('{"k":"datasets","o":5}').toString('base64url')]) {
      const res = await raw('GET', `/datasets?pageSize=5&paginationToken=${encodeURIComponent(forged)}`);
      expect(res.status, forged).toBe(422);
      expect(res.body, forged).toMatchObject({ detail: [{ loc: ['query', 'paginationToken'] }] });
    }
    const first = (await raw('GET', '/datasets?pageSize=3')).body as Page;
    expect(first.paginationToken).toBeTruthy();
    const t = encodeURIComponent(first.paginationToken!);
    expect((await raw('GET', `/datasets?pageSize=3&paginationToken=${t}`)).status).toBe(200);
    expect((await raw('GET', `/datasets?pageSize=3&nameSubstring=a&paginationToken=${t}`)).status).toBe(422);
    expect((await raw('GET', `/datasets?pageSize=3&sortField=name&paginationToken=${t}`)).status).toBe(422);
  });

  it('exhaustive search refuses a token it did not give instead of starting over', async () => {
    const body = { datasetName: 'Café Ops', queryString: 'croissants delivery bakery', pageSize: 1 };
    const first = (await raw('PUT', '/ask/exhaustive', { body })).body as { paginationToken?: string };
    expect((await raw('PUT', '/ask/exhaustive', { body: { ...body, paginationToken: 'x_1' } })).status).toBe(422);
    if (first.paginationToken) {
      expect((await raw('PUT', '/ask/exhaustive', { body: { ...body, paginationToken: first.paginationToken } })).status).toBe(200);
      expect((await raw('PUT', '/ask/exhaustive', { body: { ...body, queryString: 'other words', paginationToken: first.paginationToken } })).status).toBe(422);
    }
  });
});

describe('sorting and repeated parameters', () => {
  it('every documented sort column sorts (not only the name), both ways', async () => {
    const asc = ((await raw('GET', '/datasets?pageSize=99&sortField=numObjects&sortOrder=asc')).body as Page).datasets.map((d) => d.numObjects);
    const desc = ((await raw('GET', '/datasets?pageSize=99&sortField=numObjects&sortOrder=desc')).body as Page).datasets.map((d) => d.numObjects);
    expect(asc.length).toBeGreaterThan(3);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(desc).toEqual([...asc].reverse());
  });

  it('a scalar parameter given twice is read as FastAPI reads it: the last one', async () => {
    expect(((await raw('GET', '/datasets?pageSize=99&pageSize=2')).body as Page).datasets).toHaveLength(2);
  });
});
