import { complianceProjection } from '../compliance/compliance.projection';
import { changeCatalog } from './change-catalog/change-catalog.projection';
import type { Projection } from './projection';
import { serviceGraph } from '../services/read-model/service-graph.projection';
import { incidentCorrelation } from '../incidents/read-model/incident-correlation.projection';

/** Every read model the service keeps; each runs from its own checkpoint. */
export const PROJECTIONS: readonly Projection[] = [
  changeCatalog,
  complianceProjection,
  serviceGraph,
  incidentCorrelation,
];
