import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { PolicyController } from './api/policy.controller';
import { POLICY_IN_FORCE } from './policy-in-force.token';
import { PolicyQueries } from './application/policy-queries';
import { PolicyRecorder } from './application/policy-recorder';
import { DEFAULT_POLICY_FILE, loadPolicyFile } from './policy-file/policy-file';

/** The policy in force, read and validated at start-up, recorded on the ledger, served at /policy. */
@Global()
@Module({})
export class PolicyModule {
  /** Reads the policy at once: a broken file stops start-up before anything is opened. */
  static forRoot(config: AppConfig): DynamicModule {
    const policy = loadPolicyFile(config.policyFile ?? DEFAULT_POLICY_FILE);
    return {
      module: PolicyModule,
      controllers: [PolicyController],
      providers: [{ provide: POLICY_IN_FORCE, useValue: policy }, PolicyRecorder, PolicyQueries],
      exports: [POLICY_IN_FORCE],
    };
  }
}
