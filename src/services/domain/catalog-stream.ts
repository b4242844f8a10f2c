/** The catalog's stream category (EventStoreDB's $all filter must include it). */
export const CATALOG_STREAM_PREFIX = 'catalog-';

/**
 * The whole service catalog on one stream: its revision guards every change to the graph, so
 * two concurrent updates that would each be fine alone cannot together close a cycle.
 */
export const SERVICE_CATALOG_STREAM = `${CATALOG_STREAM_PREFIX}services`;
