import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../../sql/sql-client';
import { withExplicitCause } from '../domain/alert-cause';
import { windowStart, type WhatChangedQuestion } from '../domain/what-changed';
import {
  findAlert,
  recentAlerts,
  type AlertFilter,
  type AlertSummary,
} from '../read-model/alert-queries';
import { whatChanged } from '../read-model/timeline-queries';
import { candidateAlertStreams } from './alert-stream';

/** What responders read: live what-changed answers, and alerts with their stored suspects. */
@Injectable()
export class IncidentQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async whatChanged(question: WhatChangedQuestion, environment: string | null, limit: number) {
    const { upstream, suspects } = await whatChanged(this.sql, question, environment);
    return {
      service: question.service,
      environment,
      at: new Date(question.at).toISOString(),
      from: new Date(windowStart(question)).toISOString(),
      windowHours: question.windowHours,
      upstream,
      total: suspects.length,
      suspects: suspects.slice(0, limit),
    };
  }

  /** The alert, its explicit cause (if a responder named one) and its suspects, cause first. */
  async alert(reference: string) {
    const alert = await findAlert(this.sql, candidateAlertStreams(reference));
    if (!alert) throw new NotFoundException(`no alert ${JSON.stringify(reference)} is known`);
    return { ...withStatus(alert), suspects: withExplicitCause(alert.suspects, alert.cause) };
  }

  /** The latest alerts, newest first, without their suspects. */
  async alerts(filter: AlertFilter) {
    const alerts = await recentAlerts(this.sql, filter);
    return { items: alerts.map(withStatus) };
  }
}

function withStatus<A extends AlertSummary>(alert: A) {
  const resolvedIn =
    alert.resolvedAt === null
      ? null
      : (Date.parse(alert.resolvedAt) - Date.parse(alert.startsAt)) / 1000;
  return {
    ...alert,
    status: alert.resolvedAt === null ? 'firing' : 'resolved',
    secondsToResolve: resolvedIn,
  };
}
