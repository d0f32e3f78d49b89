import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI document is generated from the routes' own JSON schemas (which also validate requests),
 * served at /openapi.json, with Swagger UI at /docs. Both are open: they describe, they hold no evidence.
 */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'evidock API', version, description: 'Evidence search, playback, tagging, case files and copy requests. Roles and fields: docs/api.md.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'a personal API token (evidock tokens create)' },
          session: { type: 'apiKey', in: 'cookie', name: 'evidock_session', description: 'set by POST /login' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
