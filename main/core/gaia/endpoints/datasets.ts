/**
 * The dataset catalogue: checking a connection, pages of datasets (and all of them, page
 * after page), one dataset's details, and the totals.
 */
import type { DatasetSummary } from '../../../../preload/contract';
import type { CallOptions, DatasetPageQuery, DatasetQuery, GaiaClient } from '../client';
import { toDatasetDetails, toDatasetList } from '../convert';
import { gaiaPath, segment } from '../urls';
import { readWireDatasetPage, UNDOCUMENTED, WireDatasetPage } from '../wire';
import { isMissingEndpoint, type EndpointKit } from './kit';

/** [C] getdatasets-1: a page of fewer than 100. */
const DATASET_PAGE = 99;
const MAX_PAGES = 10_000;

type DatasetEndpoints = Pick<GaiaClient, 'validate' | 'listDatasetsPage' | 'listAllDatasets' | 'datasetDetails' | 'datasetStats'>;

export function datasetEndpoints(kit: EndpointKit): DatasetEndpoints {
  const { ctx, transport, log, get, shapeError, asObject } = kit;

  /** The health filter, applied here: Gaia's `statuses` values are undocumented (docs/gaia-api.md). */
  const byStatus = (q: DatasetQuery) => {
    const wanted = q.statuses?.length ? new Set(q.statuses) : null;
    return (datasets: DatasetSummary[]) => (wanted ? datasets.filter((d) => wanted.has(d.health)) : datasets);
  };

  /** A page's shape, checked (wire.ts); zod is asked only to say what is wrong with a refused one. */
  const readPage = (value: unknown, route: string): WireDatasetPage => {
    const page = readWireDatasetPage(value);
    if (page) return page;
    throw shapeError(route, WireDatasetPage.safeParse(value).error?.issues.slice(0, 5));
  };

  /**
   * One page of GET /datasets, its shape checked; the items are converted by the caller.
   * `quiet`: a page of a whole list is not logged one by one (its caller logs the list).
   */
  const fetchDatasetsPage = async (q: DatasetPageQuery, o?: CallOptions, quiet = false): Promise<{ items: unknown[]; paginationToken: string | null }> => {
    const pageSize = Math.min(DATASET_PAGE, Math.max(1, Math.floor(q.pageSize ?? DATASET_PAGE)));
    const path = gaiaPath(ctx, 'datasets', {
      // [C] names = name prefixes; the substring's name is [I] (wire.ts UNDOCUMENTED).
      // `statuses` is never sent: its values are undocumented (filtered by `byStatus` instead).
      names: q.namePrefix ? [q.namePrefix] : undefined,
      [UNDOCUMENTED.nameSubstringParam]: q.nameContains || undefined,
      sortField: q.sort?.field,
      sortOrder: q.sort?.order,
      pageSize,
      paginationToken: q.paginationToken || undefined,
    });
    const value = await transport.json({ ...get(path, 'GET /datasets'), quiet }, o);
    const page = readPage(value, 'GET /datasets');
    return { items: page.datasets, paginationToken: page.paginationToken || null };
  };

  /** The listed dataset of exactly this name (found by prefix, a few pages at most), or null. */
  const listedByName = async (name: string, o?: CallOptions): Promise<Record<string, unknown> | null> => {
    let paginationToken: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await fetchDatasetsPage({ namePrefix: name, pageSize: DATASET_PAGE, paginationToken }, o, true);
      const hit = page.items.find((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && (d as { name?: unknown }).name === name);
      if (hit) return hit;
      if (!page.paginationToken) return null;
      paginationToken = page.paginationToken;
    }
    return null;
  };

  return {
    async validate(o) {
      const value = await transport.json(
        get(gaiaPath(ctx, 'datasets'), 'GET /datasets (validate)', {
          notFound: {
            message: `No Gaia service answered at ${ctx.hostLabel}${ctx.basePath} (404).`,
            action: 'Check the base URL: for Helios it is https://helios.cohesity.com/v2/mcm/gaia; for a cluster, https://<cluster>/v2/mcm/gaia.',
          },
        }),
        o,
      );
      readPage(value, 'GET /datasets (validate)');
    },

    async listDatasetsPage(q, o) {
      const page = await fetchDatasetsPage(q, o);
      return { datasets: byStatus(q)(toDatasetList(page.items, log)), paginationToken: page.paginationToken };
    },

    async listAllDatasets(q, o = {}) {
      const all: DatasetSummary[] = [];
      const seenTokens = new Set<string>();
      const filter = byStatus(q);
      let next = fetchDatasetsPage({ ...q, pageSize: DATASET_PAGE, paginationToken: null }, o, true);
      for (let pages = 1; ; pages++) {
        const page = await next;
        const token = page.paginationToken;
        const repeated = token !== null && seenTokens.has(token);
        const more = token !== null && !repeated && pages < MAX_PAGES;
        if (more) {
          seenTokens.add(token);
          next = fetchDatasetsPage({ ...q, pageSize: DATASET_PAGE, paginationToken: token }, o, true);
          // Awaited on the next turn; until then a failure must not count as unhandled.
          next.catch(() => undefined);
        }
        const datasets = filter(toDatasetList(page.items, log));
        for (const d of datasets) all.push(d);
        o.onPage?.(all.length, pages, datasets);
        if (more) continue;
        if (repeated) log.warn('gaia GET /datasets: the server repeated a pagination token; stopping there');
        else if (token !== null) log.warn(`gaia GET /datasets: stopped after ${MAX_PAGES} pages`);
        return all;
      }
    },

    async datasetDetails(name, o) {
      const label = 'GET /dataset/{name}/details';
      try {
        const value = await transport.json(get(gaiaPath(ctx, `dataset/${segment(name)}/details`), label, { what: `the dataset “${name}”` }), o);
        return toDatasetDetails(asObject(value, label), name);
      } catch (err) {
        // A "/" in the name: routers (Starlette's, Go's) decode %2F before matching, so the
        // name becomes two segments and no route answers. The list has the dataset, without
        // the details' extras: read it there, by its exact name.
        if (!name.includes('/') || !isMissingEndpoint(err)) throw err;
        const found = await listedByName(name, o);
        if (!found) throw err;
        log.info('gaia GET /dataset/{name}/details: no route for a name with "/"; the details are the listed dataset');
        return toDatasetDetails(found, name);
      }
    },

    async datasetStats(o) {
      const value = await transport.json(get(gaiaPath(ctx, 'datasets/stats'), 'GET /datasets/stats'), o);
      return { stats: asObject(value, 'GET /datasets/stats') };
    },
  };
}
