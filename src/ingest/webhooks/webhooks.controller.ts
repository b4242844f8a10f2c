import {
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
  type RawBodyRequest,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, RequireRoles } from '../../auth/access.decorators';
import type { Principal } from '../../kernel/principal';
import { GITHUB_WEBHOOK_PRINCIPAL } from '../../auth/service-principals';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Metrics } from '../../observability/metrics';
import { ApiProblems } from '../../http/api-problems.decorator';
import { InvalidRequest } from '../../http/problem';
import { INGEST_FORMATS, NORMALIZERS, normalizerFor } from '../formats';
import { ConflictingRedelivery, type InboundMessage, type Observation } from '../observation';
import {
  OBSERVATION_RECORDER,
  type IngestOutcome,
  type ObservationRecorder,
} from '../recording/ingest-item';
import { isValidGithubSignature } from './github-signature';
import { IngestReceiptDto } from './ingest-receipt.dto';

type WebhookRequest = RawBodyRequest<FastifyRequest>;

function inbound(request: WebhookRequest): InboundMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  const body = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  return { body, headers };
}

/** The same payloads as the Kafka topics, for senders that can only call a URL. */
@ApiTags('ingest')
@ApiProblems()
@Controller('ingest')
export class WebhooksController {
  constructor(
    @Inject(OBSERVATION_RECORDER) private readonly recorder: ObservationRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  @Post('github')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'GitHub deployment_status webhook',
    description:
      'Authenticated by the X-Hub-Signature-256 HMAC of the raw body (GITHUB_WEBHOOK_SECRET) and ' +
      'recorded as the github-webhook principal; deduplicated by deployment_status.id, so a ' +
      'body replayed under a new X-GitHub-Delivery records nothing.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true })
  @ApiHeader({ name: 'X-GitHub-Delivery', required: true })
  @ApiHeader({ name: 'X-GitHub-Event', required: true, example: 'deployment_status' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiAcceptedResponse({ type: IngestReceiptDto })
  github(@Req() request: WebhookRequest): Promise<IngestOutcome> {
    const message = inbound(request);
    const secret = this.config.githubWebhookSecret;
    if (secret === null) {
      throw new UnauthorizedException('GitHub webhooks are off: GITHUB_WEBHOOK_SECRET is not set');
    }
    if (!isValidGithubSignature(secret, message.body, message.headers['x-hub-signature-256'])) {
      throw new UnauthorizedException('X-Hub-Signature-256 does not match the body');
    }
    const delivery = message.headers['x-github-delivery'];
    if (!delivery) {
      throw new InvalidRequest([{ field: 'X-GitHub-Delivery', reason: 'header is required' }]);
    }
    // The delivery id is unsigned: it correlates, the signed deployment_status.id identifies.
    const observations = NORMALIZERS.github(message);
    return this.record(observations, 'github', delivery, GITHUB_WEBHOOK_PRINCIPAL);
  }

  @Post(':format')
  @RequireRoles('ingest')
  @ApiBearerAuth()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Deploy events and alerts: CDEvents, Alertmanager webhook, generic JSON',
    description:
      'CDEvents in CloudEvents structured (application/cloudevents+json) or binary mode ' +
      '(ce-* headers); a malformed message is refused with the field and reason.',
  })
  @ApiParam({ name: 'format', enum: INGEST_FORMATS.filter((f) => f !== 'github') })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiAcceptedResponse({ type: IngestReceiptDto })
  ingest(
    @Param('format') format: string,
    @Req() request: WebhookRequest,
    @CurrentPrincipal() sender: Principal,
  ): Promise<IngestOutcome> {
    const normalize = format === 'github' ? undefined : normalizerFor(format);
    if (!normalize) throw new NotFoundException(`no ingest format ${JSON.stringify(format)}`);
    return this.record(normalize(inbound(request)), format, String(request.id), sender.id);
  }

  private async record(
    observations: Observation[],
    format: string,
    correlationId: string,
    sender: string,
  ): Promise<IngestOutcome> {
    const receivedAt = this.clock.now().toISOString();
    const origin = { source: `webhook:${format}`, correlationId, sender, receivedAt };
    try {
      return await this.recorder.record(
        observations.map((observation) => ({ observation, origin })),
      );
    } catch (error) {
      if (error instanceof ConflictingRedelivery)
        this.metrics.ingestConflicts.inc({ route: 'webhook' });
      throw error;
    }
  }
}
