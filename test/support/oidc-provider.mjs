/*
 * A real, certified OpenID provider (the `oidc-provider` package) for test/oidc.api.test.ts,
 * run as its own process because the package is ES-module only:
 *
 *   node test/support/oidc-provider.mjs
 *
 * It listens on an ephemeral loopback port and prints "ready <issuer>" once it answers. Its
 * clients come from OIDC_TEST_CLIENTS, a JSON array of {id, secret, groups, ttl}: each may use
 * the client-credentials grant for the resource OIDC_TEST_AUDIENCE and gets a JWT access
 * token whose `groups` claim lists its groups, living `ttl` seconds (default 300).
 */
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS ?? '[]');
const audience = process.env.OIDC_TEST_AUDIENCE ?? 'urn:change-ledger';
const byId = new Map(clients.map((client) => [client.id, client]));

let handler = (_request, response) => response.writeHead(503).end();
const server = createServer((request, response) => handler(request, response));
// Clients keep connections alive across the suite's slower steps (an app starting): Node's
// 5 s default would close them under a request in flight ("other side closed").
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: clients.map(({ id, secret }) => ({
      client_id: id,
      client_secret: secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'ledger',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: byId.get(client.clientId)?.ttl ?? 300,
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => ({ groups: byId.get(token.clientId)?.groups ?? [] }),
  });
  handler = provider.callback();
  process.stdout.write(`ready ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
