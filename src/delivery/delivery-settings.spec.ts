import { ConfigError } from '../config/config';
import { loadDeliverySettings } from './delivery-settings';

describe('delivery settings from the environment', () => {
  it('counts production deployments unless told otherwise', () => {
    expect(loadDeliverySettings({})).toEqual({ environment: 'production' });
    expect(loadDeliverySettings({ DELIVERY_ENVIRONMENT: 'prod-eu' })).toEqual({
      environment: 'prod-eu',
    });
  });

  it('refuses a name no change could carry', () => {
    expect(() => loadDeliverySettings({ DELIVERY_ENVIRONMENT: 'Prod EU' })).toThrow(ConfigError);
  });
});
