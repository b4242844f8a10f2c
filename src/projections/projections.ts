import { changeCatalog } from './change-catalog/change-catalog.projection';
import type { Projection } from './projection';

/** Every read model the service keeps; each runs from its own checkpoint. */
export const PROJECTIONS: readonly Projection[] = [changeCatalog];
