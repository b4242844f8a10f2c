import type { AppConfig } from './config/config';
import { complianceProjection } from './compliance/read-model/compliance.projection';
import { changeCatalog } from './changes/read-model/change-catalog.projection';
import type { Projection } from './ledger/projection';
import { serviceGraph } from './services/read-model/service-graph.projection';
import { incidentCorrelation } from './incidents/read-model/incident-correlation.projection';

/** Every read model the service keeps; each runs from its own checkpoint. */
export function projectionsFor(config: Pick<AppConfig, 'whatChangedWindowHours'>): Projection[] {
  return [
    changeCatalog,
    complianceProjection,
    serviceGraph,
    incidentCorrelation(config.whatChangedWindowHours),
  ];
}
